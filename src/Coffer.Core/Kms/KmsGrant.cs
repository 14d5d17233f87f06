namespace Coffer.Core.Kms;

/// <summary>A grant's constraints: the encryption context a request must carry (exactly, or at least).</summary>
public sealed record GrantConstraints(IReadOnlyDictionary<string, string>? EncryptionContextSubset, IReadOnlyDictionary<string, string>? EncryptionContextEquals)
{
    /// <summary>Whether a request's encryption context meets the constraints.</summary>
    public bool AllowContext(IReadOnlyDictionary<string, string> context)
    {
        if (EncryptionContextEquals is { } equals
            && (equals.Count != context.Count || equals.Any(p => !context.TryGetValue(p.Key, out var v) || v != p.Value)))
        {
            return false;
        }

        return EncryptionContextSubset is not { } subset || subset.All(p => context.TryGetValue(p.Key, out var v) && v == p.Value);
    }
}

/// <summary>
/// A KMS grant: it lets the grantee principal perform the listed operations with one key, within
/// its constraints, as long as no policy explicitly denies it. The retiring principal (and the
/// grantee, when RetireGrant is among the operations) may retire it.
/// </summary>
public sealed record KmsGrant
{
    public required string GrantId { get; init; }

    public required Guid KeyId { get; init; }

    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public string? Name { get; init; }

    public required DateTimeOffset CreationDate { get; init; }

    public required string GranteePrincipal { get; init; }

    public string? RetiringPrincipal { get; init; }

    /// <summary>The account whose principal created the grant.</summary>
    public required string IssuingAccount { get; init; }

    /// <summary>KMS operation names (<c>Decrypt</c>, <c>GenerateDataKey</c>...), as in the request.</summary>
    public required IReadOnlyList<string> Operations { get; init; }

    public GrantConstraints? Constraints { get; init; }

    public string KeyArn => KmsArns.Key(Region, AccountId, KeyId);

    /// <summary>Whether this grant is the same as a retried CreateGrant's (same name and parameters).</summary>
    public bool SameRequestAs(KmsGrant other) =>
        Name == other.Name && GranteePrincipal == other.GranteePrincipal && RetiringPrincipal == other.RetiringPrincipal
        && Operations.Order(StringComparer.Ordinal).SequenceEqual(other.Operations.Order(StringComparer.Ordinal))
        && SameContext(Constraints?.EncryptionContextEquals, other.Constraints?.EncryptionContextEquals)
        && SameContext(Constraints?.EncryptionContextSubset, other.Constraints?.EncryptionContextSubset);

    private static bool SameContext(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b) =>
        (a is null || a.Count == 0) ? b is null || b.Count == 0 : b is not null && a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
}
