using Coffer.Core.Kms;

namespace Coffer.Core.Parameters;

/// <summary>A Parameter Store parameter as stored: its tags and its current version.</summary>
public sealed record Parameter
{
    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required ParameterVersion Current { get; init; }

    public IReadOnlyList<ResourceTag> Tags { get; init; } = [];

    /// <summary>PutResourcePolicy's policies (parameter sharing), oldest first.</summary>
    public IReadOnlyList<ParameterResourcePolicy> ResourcePolicies { get; init; } = [];

    public string Name => Current.Name;

    public string Arn => _arn.Get((Region, AccountId, Name), static k => ParameterNames.Arn(k.Item1, k.Item2, k.Item3));

    private DerivedText<(string, string, string)> _arn;
}

/// <summary>
/// One version of a parameter. A String or StringList keeps its <see cref="Value"/> as it is; a
/// SecureString keeps only <see cref="Ciphertext"/>, a KMS ciphertext blob whose encryption
/// context is <c>{"PARAMETER_ARN": arn}</c>. The plaintext of a SecureString is never stored.
/// </summary>
public sealed record ParameterVersion
{
    public required string Name { get; init; }

    public required long Version { get; init; }

    public required string Type { get; init; }

    public string? Value { get; init; }

    public byte[]? Ciphertext { get; init; }

    /// <summary>The KMS key as the caller named it (or <c>alias/aws/ssm</c>); SecureString only.</summary>
    public string? KeyId { get; init; }

    public string? Description { get; init; }

    public string? AllowedPattern { get; init; }

    public required string Tier { get; init; }

    public string DataType { get; init; } = "text";

    public IReadOnlyList<ParameterPolicy> Policies { get; init; } = [];

    public required DateTimeOffset LastModifiedDate { get; init; }

    public required string LastModifiedUser { get; init; }

    /// <summary>The labels on this version; filled in when read, kept apart in storage.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    public bool IsSecure => Type == ParameterTypes.SecureString;
}

/// <summary>A resource policy on a parameter: its id, the hash a change must name, and the policy's JSON.</summary>
public sealed record ParameterResourcePolicy(string PolicyId, string PolicyHash, string Policy);

/// <summary>A parameter policy: its JSON text, its type and whether it has been carried out.</summary>
public sealed record ParameterPolicy(string Type, string Text, string Status)
{
    public const string Pending = "Pending";
    public const string Finished = "Finished";
}

public static class ParameterTypes
{
    public const string String = "String";
    public const string StringList = "StringList";
    public const string SecureString = "SecureString";
}

public static class ParameterTiers
{
    public const string Standard = "Standard";
    public const string Advanced = "Advanced";
    public const string IntelligentTiering = "Intelligent-Tiering";
}

/// <summary>What PutParameter asks for, as the wire gives it.</summary>
public sealed record PutParameterInput
{
    public required string Name { get; init; }

    public required string Value { get; init; }

    public string? Type { get; init; }

    public string? Description { get; init; }

    public string? KeyId { get; init; }

    public bool Overwrite { get; init; }

    public string? AllowedPattern { get; init; }

    public IReadOnlyList<ResourceTag>? Tags { get; init; }

    public string? Tier { get; init; }

    public string? Policies { get; init; }

    public string? DataType { get; init; }

    /// <summary>No secret in it: the value is left out.</summary>
    public override string ToString() => $"PutParameterInput {{ Name = {Name}, Type = {Type} }}";
}

/// <summary>A parameter's value as returned to a caller: the plaintext when decrypted, else the
/// value as stored (base64 ciphertext for a SecureString read without decryption).</summary>
public sealed record ParameterValue(ParameterVersion Version, string Arn, string Value, string? Selector)
{
    /// <summary>For a Secrets Manager reference: GetSecretValue's answer as JSON, as AWS returns it.</summary>
    public string? SourceResult { get; init; }

    public override string ToString() => $"ParameterValue {{ Name = {Version.Name}, Version = {Version.Version} }}";
}

/// <summary>A filter of GetParametersByPath or DescribeParameters (ParameterStringFilter).</summary>
public sealed record ParameterFilter(string Key, string? Option, IReadOnlyList<string> Values);

public sealed record ParameterPage<T>(IReadOnlyList<T> Items, string? NextToken);
