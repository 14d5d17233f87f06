using System.Collections.Concurrent;

namespace Coffer.Core.Audit;

/// <summary>
/// The names a resource is looked up by (LookupEvents' ResourceName): its ARN, and the short name a
/// person types: a key id, <c>alias/name</c>, a parameter's name with and without its leading
/// slash, a secret's name without the six random characters AWS adds to its ARN, a user's or
/// role's name.
/// </summary>
public static class AuditResourceNames
{
    /// <summary>How many ARNs <see cref="Of"/> keeps the names of before it starts again.</summary>
    private const int Kept = 1024;

    // Every record is indexed by its resources' names, and a hot read's records name the same
    // resource again and again (issue 11); the names are a function of the ARN alone.
    private static readonly ConcurrentDictionary<string, string[]> Known = new(StringComparer.Ordinal);
    private static int _known;

    public static IReadOnlyList<string> Of(string arn)
    {
        if (Known.TryGetValue(arn, out var known))
        {
            return known;
        }

        var names = Work(arn);
        if (Interlocked.Increment(ref _known) > Kept)
        {
            // Many ARNs seen once (a listing's records): start again rather than grow.
            Known.Clear();
            Interlocked.Exchange(ref _known, 0);
        }

        return Known.GetOrAdd(arn, names);
    }

    private static string[] Work(string arn)
    {
        var parts = arn.Split(':', 7);
        if (parts.Length < 6 || parts[0] != "arn")
        {
            return [arn];
        }

        var names = new List<string> { arn };
        var resource = parts.Length == 7 ? parts[5] + ":" + parts[6] : parts[5];
        switch (parts[2])
        {
            case "ssm" when resource.StartsWith("parameter/", StringComparison.Ordinal):
                var parameter = resource["parameter/".Length..];
                names.Add(parameter);
                names.Add("/" + parameter);
                break;
            case "secretsmanager" when resource.StartsWith("secret:", StringComparison.Ordinal):
                var secret = resource["secret:".Length..];
                names.Add(secret.Length > 7 && secret[^7] == '-' ? secret[..^7] : secret);
                break;
            case "kms" when resource.StartsWith("key/", StringComparison.Ordinal):
                names.Add(resource["key/".Length..]);
                break;
            case "kms" when resource.StartsWith("alias/", StringComparison.Ordinal):
                names.Add(resource);
                break;
            default:
                names.Add(resource[(resource.LastIndexOfAny(['/', ':']) + 1)..]);
                break;
        }

        return [.. names.Distinct(StringComparer.Ordinal).Where(n => n.Length > 0)];
    }
}
