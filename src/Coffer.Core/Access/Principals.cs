using Coffer.Core.Aws;
using Coffer.Core.Identity;

namespace Coffer.Core.Access;

/// <summary>How a resource policy statement's Principal names the caller, strongest last.</summary>
internal enum PrincipalMatch
{
    None,

    /// <summary>The caller's account (<c>arn:aws:iam::ACCOUNT:root</c> or the bare account id), for a
    /// caller who is not the root: the account delegates to its IAM policies, which must also allow.</summary>
    Account,

    /// <summary>The role (or <c>*</c>) of an assumed-role session: granted, within the session policy.</summary>
    Role,

    /// <summary>The caller itself: the user, the root, the service, or the exact session.</summary>
    Exact,
}

/// <summary>The principals a statement names: <c>"*"</c>, or <c>{"AWS": [...], "Service": [...]}</c>.</summary>
internal sealed class PrincipalSet
{
    private readonly bool _anyone;
    private readonly (string Name, string? RootOf)[] _aws;
    private readonly string[] _services;

    /// <param name="aws">Normalized AWS principals (see <see cref="NormalizeAws"/>).</param>
    public PrincipalSet(bool anyone, IEnumerable<string> aws, string[] services)
    {
        _anyone = anyone;
        _aws = [.. aws.Select(a => (a, RootAccountOf(a)))];
        _services = services;
    }

    public PrincipalMatch Match(Principal caller)
    {
        var session = caller.Type == PrincipalType.AssumedRole;
        if (_anyone)
        {
            return session ? PrincipalMatch.Role : PrincipalMatch.Exact;
        }

        var best = PrincipalMatch.None;
        foreach (var (name, rootOf) in _aws)
        {
            PrincipalMatch match;
            if (name == "*")
            {
                match = session ? PrincipalMatch.Role : PrincipalMatch.Exact;
            }
            else if (name == caller.Arn)
            {
                match = PrincipalMatch.Exact;
            }
            else if (session && name == caller.RoleArn)
            {
                match = PrincipalMatch.Role;
            }
            else if (rootOf == caller.AccountId)
            {
                match = caller.IsRoot ? PrincipalMatch.Exact : PrincipalMatch.Account;
            }
            else
            {
                continue;
            }

            if (match > best)
            {
                best = match;
            }
        }

        if (caller.Type == PrincipalType.Service && Array.IndexOf(_services, caller.Arn) >= 0)
        {
            best = PrincipalMatch.Exact;
        }

        return best;
    }

    /// <summary>Normalizes an AWS principal: a bare account id means the account's root ARN.
    /// Returns null for a value IAM would refuse (wildcards inside an ARN, a malformed one).</summary>
    public static string? NormalizeAws(string value)
    {
        if (value == "*")
        {
            return value;
        }

        if (value.Length == 12 && value.All(char.IsAsciiDigit))
        {
            return $"arn:aws:iam::{value}:root";
        }

        if (!Arn.TryParse(value, out var arn) || Wildcard.HasWildcards(value) || arn.Value.Account.Length != 12)
        {
            return null;
        }

        var a = arn.Value;
        var ok = (a.Service == "iam" && (a.Resource == "root" || a.Resource.StartsWith("user/", StringComparison.Ordinal) || a.Resource.StartsWith("role/", StringComparison.Ordinal)))
            || (a.Service == "sts" && a.Resource.StartsWith("assumed-role/", StringComparison.Ordinal));
        return ok ? value : null;
    }

    /// <summary>The account of an account principal (<c>arn:PARTITION:iam::ACCOUNT:root</c>), else null.</summary>
    private static string? RootAccountOf(string name) =>
        Arn.TryParse(name, out var arn) && arn.Value.Service == "iam" && arn.Value.Resource == "root" ? arn.Value.Account : null;
}
