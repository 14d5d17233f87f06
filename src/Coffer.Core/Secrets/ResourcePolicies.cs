using System.Text.Json;
using Coffer.Core.Access;

namespace Coffer.Core.Secrets;

/// <summary>Checks of a secret's resource policy: its syntax, and whether it opens the secret to everyone.</summary>
public static class ResourcePolicies
{
    public const string SyntaxCheck = "SYNTAX_CHECK";
    public const string PublicAccessCheck = "PUBLIC_ACCESS_CHECK";

    /// <summary>What ValidateResourcePolicy reports: empty when the policy passes. Text that is not JSON is malformed outright.</summary>
    public static IReadOnlyList<(string CheckName, string Message)> Validate(string policy)
    {
        try
        {
            PolicyDocument.Validate(policy, requirePrincipal: true);
        }
        catch (PolicyFormatException e) when (IsJson(policy))
        {
            return [(SyntaxCheck, e.Message)];
        }
        catch (PolicyFormatException e)
        {
            throw SecretsErrors.MalformedPolicy(e.Message);
        }

        return IsPublic(policy) ? [(PublicAccessCheck, "The policy allows access to every principal (\"*\") without a condition.")] : [];
    }

    /// <summary>Whether an Allow statement names every principal (<c>"*"</c> or <c>{"AWS": "*"}</c>) with no condition to narrow it.</summary>
    public static bool IsPublic(string policy)
    {
        using var doc = JsonDocument.Parse(policy);
        var statements = doc.RootElement.GetProperty("Statement");
        var list = statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements];
        return list.Any(s => s.GetProperty("Effect").GetString() == "Allow"
            && !s.TryGetProperty("Condition", out _)
            && s.TryGetProperty("Principal", out var principal)
            && IsEveryone(principal));
    }

    private static bool IsEveryone(JsonElement principal) => principal.ValueKind switch
    {
        JsonValueKind.String => principal.GetString() == "*",
        JsonValueKind.Object => principal.TryGetProperty("AWS", out var aws) && Strings(aws).Contains("*"),
        _ => false,
    };

    private static IEnumerable<string?> Strings(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.GetString()) : [e.GetString()];

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
