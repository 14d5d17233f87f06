using Coffer.Core.Kms;

namespace Coffer.Core;

/// <summary>The tag rules KMS, Parameter Store, Secrets Manager and IAM share, and the condition keys a
/// request's tags supply. Each service names its own error; the rules are the same.</summary>
public static class ResourceTags
{
    public const int MaxTags = 50;

    /// <summary>
    /// Checks the tags a request adds, and the resource's tags once they are added: no <c>aws:</c>
    /// keys (AWS's own), no key twice in one request, at most <see cref="MaxTags"/>.
    /// </summary>
    /// <param name="invalid">The service's error for a tag that breaks a rule.</param>
    /// <param name="tooMany">The service's error for too many tags, where it has one of its own.</param>
    public static void Validate(IReadOnlyList<ResourceTag> added, IReadOnlyList<ResourceTag> all, Func<string, CofferException> invalid, Func<CofferException>? tooMany = null)
    {
        if (added.FirstOrDefault(t => t.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)) is { } reserved)
        {
            throw invalid($"Tag key '{reserved.Key}' is not valid: tag keys beginning with 'aws:' are reserved for AWS.");
        }

        if (added.Select(t => t.Key).Distinct(StringComparer.Ordinal).Count() != added.Count)
        {
            throw invalid("The request has duplicate tag keys.");
        }

        if (Math.Max(added.Count, all.Count) > MaxTags)
        {
            throw tooMany?.Invoke() ?? invalid($"A resource can have at most {MaxTags} tags.");
        }
    }

    /// <summary>The condition keys for the tags a request sets: <c>aws:TagKeys</c> and <c>aws:RequestTag/KEY</c>; null when it sets none.</summary>
    public static Dictionary<string, IReadOnlyList<string>>? RequestConditions(IReadOnlyList<ResourceTag>? tags)
    {
        if (tags is not { Count: > 0 })
        {
            return null;
        }

        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { ["aws:TagKeys"] = [.. tags.Select(t => t.Key)] };
        foreach (var tag in tags)
        {
            keys["aws:RequestTag/" + tag.Key] = [tag.Value];
        }

        return keys;
    }
}
