using System.Text;

namespace Coffer.Core.Secrets;

/// <summary>
/// A ListSecrets / BatchGetSecretValue filter, matched as AWS documents it (issue 13): <c>name</c>,
/// <c>tag-key</c>, <c>tag-value</c> and <c>primary-region</c> match the beginning of the field, case
/// sensitive; <c>description</c> matches words: every word of the value begins a word of the
/// description, ignoring case; <c>all</c> splits the value into words and matches a secret where any
/// of them begins a word of its name, description, tag keys or tag values, ignoring case. Words are
/// split at case changes, letter/digit changes and punctuation. A value starting with '!' negates;
/// several values of one filter are ORed; several filters are ANDed.
/// </summary>
public sealed record SecretFilter(string? Key, IReadOnlyList<string> Values)
{
    /// <summary>Refuses what AWS refuses before matching: a filter without a key, or without values.</summary>
    public static void Validate(IReadOnlyList<SecretFilter> filters)
    {
        foreach (var filter in filters)
        {
            if (filter.Key is null)
            {
                throw SecretsErrors.InvalidParameter("Invalid filter key");
            }

            if (filter.Values.Count == 0)
            {
                throw SecretsErrors.InvalidParameter($"Invalid filter values: the filter {filter.Key} needs at least one value.");
            }
        }
    }

    public bool Matches(Secret secret)
    {
        var positive = Values.Where(v => !v.StartsWith('!')).ToList();
        var negative = Values.Where(v => v.StartsWith('!')).Select(v => v[1..]).ToList();
        return (positive.Count == 0 || positive.Any(v => MatchesValue(secret, v))) && !negative.Any(v => MatchesValue(secret, v));
    }

    private bool MatchesValue(Secret secret, string value) => Key switch
    {
        "name" => secret.Name.StartsWith(value, StringComparison.Ordinal),
        "description" => AllWordsBeginWords(value, [secret.Description ?? ""]),
        "tag-key" => secret.Tags.Any(t => t.Key.StartsWith(value, StringComparison.Ordinal)),
        "tag-value" => secret.Tags.Any(t => t.Value.StartsWith(value, StringComparison.Ordinal)),
        "primary-region" => secret.Region.StartsWith(value, StringComparison.Ordinal),
        "owning-service" => false,
        "all" => Words(value).Any(w => Attributes(secret).SelectMany(Words).Any(a => a.StartsWith(w, StringComparison.OrdinalIgnoreCase))),
        _ => false,
    };

    /// <summary>Whether every word of <paramref name="value"/> begins some word of the fields, ignoring case.</summary>
    private static bool AllWordsBeginWords(string value, IEnumerable<string> fields)
    {
        var words = Words(value).ToList();
        var fieldWords = fields.SelectMany(Words).ToList();
        return words.Count > 0 && words.TrueForAll(w => fieldWords.Exists(f => f.StartsWith(w, StringComparison.OrdinalIgnoreCase)));
    }

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
