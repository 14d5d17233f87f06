using System.Globalization;
using Coffer.Core.Identity;

namespace Coffer.Core.Access;

/// <summary>The values of one condition key in a request: none, one, or several. A struct, so that
/// looking up a key allocates nothing.</summary>
public readonly struct ContextValues
{
    private readonly string? _one;
    private readonly IReadOnlyList<string>? _many;

    public ContextValues(string one) => _one = one;

    public ContextValues(IReadOnlyList<string> many) => _many = many;

    public int Count => _many?.Count ?? (_one is null ? 0 : 1);

    public string this[int index] => _many is not null ? _many[index] : index == 0 && _one is not null ? _one : throw new ArgumentOutOfRangeException(nameof(index));
}

/// <summary>
/// What a policy is evaluated against (AWS's request context): the principal, the action, the
/// resource, and the condition keys. Global keys (<c>aws:username</c>, <c>aws:SourceIp</c>,
/// <c>aws:CurrentTime</c>, ...) are derived on demand from the principal and the request's origin;
/// other keys (<c>kms:EncryptionContext:...</c>, <c>secretsmanager:SecretId</c>, tags) come from
/// the service that asks. Key names are case-insensitive, as in IAM.
/// </summary>
public sealed class RequestContext(
    Principal principal,
    string action,
    string resource,
    RequestOrigin origin,
    string region,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? keys = null,
    IReadOnlyDictionary<string, string>? principalTags = null)
{
    public Principal Principal { get; } = principal;

    public string Action { get; } = action;

    public string Resource { get; } = resource;

    public RequestOrigin Origin { get; } = origin;

    public string Region { get; } = region;

    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Keys { get; } = keys;

    public bool TryGetValues(string key, out ContextValues values) => TryGetValues(key, GlobalKeys.Identify(key), out values);

    internal bool TryGetValues(string key, GlobalKey global, out ContextValues values)
    {
        if (Keys is not null && Find(Keys, key) is { } given)
        {
            values = new ContextValues(given);
            return given.Count > 0;
        }

        var value = Global(key, global);
        values = value is null ? default : new ContextValues(value);
        return value is not null;
    }

    private static IReadOnlyList<string>? Find(IReadOnlyDictionary<string, IReadOnlyList<string>> keys, string key)
    {
        if (keys.TryGetValue(key, out var found))
        {
            return found;
        }

        // The service may have built its dictionary with an ordinal comparer; key names are case-insensitive.
        foreach (var (name, values) in keys)
        {
            if (name.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                return values;
            }
        }

        return null;
    }

    private string? Global(string key, GlobalKey global) => global switch
    {
        GlobalKey.Username => Principal.Type == PrincipalType.IamUser ? Principal.Name : null,
        GlobalKey.UserId => Principal.PrincipalId,
        GlobalKey.PrincipalArn => Principal.Type == PrincipalType.AssumedRole ? Principal.RoleArn : Principal.Arn,
        GlobalKey.PrincipalAccount => Principal.AccountId,
        GlobalKey.PrincipalType => Principal.Type switch
        {
            PrincipalType.Root => "Account",
            PrincipalType.IamUser => "User",
            PrincipalType.AssumedRole => "AssumedRole",
            _ => null,
        },
        GlobalKey.SourceIp => Origin.SourceIp,
        GlobalKey.CurrentTime => Origin.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        GlobalKey.EpochTime => Origin.Time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        GlobalKey.SecureTransport => Origin.SecureTransport ? "true" : "false",
        GlobalKey.RequestedRegion => Region,
        GlobalKey.PrincipalTag => principalTags is not null && principalTags.TryGetValue(key["aws:PrincipalTag/".Length..], out var tag) ? tag : null,
        _ => null,
    };
}

internal enum GlobalKey
{
    None,
    Username,
    UserId,
    PrincipalArn,
    PrincipalAccount,
    PrincipalType,
    SourceIp,
    CurrentTime,
    EpochTime,
    SecureTransport,
    RequestedRegion,
    PrincipalTag,
}

internal static class GlobalKeys
{
    private static readonly Dictionary<string, GlobalKey> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["aws:username"] = GlobalKey.Username,
        ["aws:userid"] = GlobalKey.UserId,
        ["aws:PrincipalArn"] = GlobalKey.PrincipalArn,
        ["aws:PrincipalAccount"] = GlobalKey.PrincipalAccount,
        ["aws:PrincipalType"] = GlobalKey.PrincipalType,
        ["aws:SourceIp"] = GlobalKey.SourceIp,
        ["aws:CurrentTime"] = GlobalKey.CurrentTime,
        ["aws:EpochTime"] = GlobalKey.EpochTime,
        ["aws:SecureTransport"] = GlobalKey.SecureTransport,
        ["aws:RequestedRegion"] = GlobalKey.RequestedRegion,
    };

    public static GlobalKey Identify(string key) =>
        Names.TryGetValue(key, out var global) ? global
        : key.StartsWith("aws:PrincipalTag/", StringComparison.OrdinalIgnoreCase) ? GlobalKey.PrincipalTag
        : GlobalKey.None;
}
