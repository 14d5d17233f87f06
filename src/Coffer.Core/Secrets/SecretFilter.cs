using System.Text;

namespace Coffer.Core.Secrets;

/// <summary>
/// A ListSecrets / BatchGetSecretValue filter, matched as AWS documents: prefix matches (description
/// and "all" ignore case), a value starting with '!' negates, several values of one filter match if
/// any matches, and every filter must match.
/// </summary>
public sealed record SecretFilter(string Key, IReadOnlyList<string> Values)
{
    public bool Matches(Secret secret)
    {
        var positive = Values.Where(v => !v.StartsWith('!')).ToList();
        var negative = Values.Where(v => v.StartsWith('!')).Select(v => v[1..]).ToList();
        return (positive.Count == 0 || positive.Any(v => MatchesValue(secret, v))) && !negative.Any(v => MatchesValue(secret, v));
    }

    private bool MatchesValue(Secret secret, string value) => Key switch
    {
        "name" => secret.Name.StartsWith(value, StringComparison.Ordinal),
        "description" => (secret.Description ?? "").StartsWith(value, StringComparison.OrdinalIgnoreCase),
        "tag-key" => secret.Tags.Any(t => t.Key.StartsWith(value, StringComparison.Ordinal)),
        "tag-value" => secret.Tags.Any(t => t.Value.StartsWith(value, StringComparison.Ordinal)),
        "primary-region" => secret.Region.StartsWith(value, StringComparison.Ordinal),
        "owning-service" => false,
        "all" => Words(value).Any(w => Attributes(secret).SelectMany(Words).Any(a => a.StartsWith(w, StringComparison.OrdinalIgnoreCase))),
        _ => false,
    };

    private static IEnumerable<string> Attributes(Secret secret) =>
        [secret.Name, secret.Description ?? "", .. secret.Tags.Select(t => t.Key), .. secret.Tags.Select(t => t.Value)];

    /// <summary>Splits text into words as AWS's search does: at every change from upper to lower case,
    /// from letter to digit, and at anything that is neither.</summary>
    internal static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        char previous = '\0';
        foreach (var c in text)
        {
            var boundary = word.Length > 0 && (!char.IsAsciiLetterOrDigit(c)
                || (char.IsAsciiDigit(c) != char.IsAsciiDigit(previous))
                || (char.IsAsciiLetterLower(previous) && char.IsAsciiLetterUpper(c)));
            if (boundary)
            {
                yield return word.ToString();
                word.Clear();
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                word.Append(c);
            }

            previous = c;
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }
}
