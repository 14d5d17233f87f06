using System.Text.Json;

namespace Coffer.Core.Access;

/// <summary>A policy document that failed validation; the message says what is wrong and where.</summary>
public sealed class PolicyFormatException(string message) : Exception(message);

/// <summary>
/// Structural validation of an IAM policy document (identity, key or resource policy): JSON, a
/// known Version, a Statement of one or more statements each with a valid Effect, exactly one of
/// Action/NotAction, and the element names IAM knows.
/// </summary>
public static class PolicyDocument
{
    private static readonly HashSet<string> TopLevel = ["Version", "Id", "Statement"];
    private static readonly HashSet<string> StatementElements =
        ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

    public static void Validate(string json, bool requirePrincipal = false, bool requireResource = true)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            throw new PolicyFormatException("The policy is not valid JSON.");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new PolicyFormatException("The policy must be a JSON object.");
            }

            foreach (var p in root.EnumerateObject())
            {
                if (!TopLevel.Contains(p.Name))
                {
                    throw new PolicyFormatException($"Unknown policy element '{p.Name}'.");
                }
            }

            if (root.TryGetProperty("Version", out var version)
                && (version.ValueKind != JsonValueKind.String || (version.GetString() is not ("2012-10-17" or "2008-10-17"))))
            {
                throw new PolicyFormatException("The policy Version must be \"2012-10-17\" or \"2008-10-17\".");
            }

            if (!root.TryGetProperty("Statement", out var statements))
            {
                throw new PolicyFormatException("The policy has no Statement.");
            }

            if (statements.ValueKind == JsonValueKind.Object)
            {
                ValidateStatement(statements, 0, requirePrincipal, requireResource);
            }
            else if (statements.ValueKind == JsonValueKind.Array && statements.GetArrayLength() > 0)
            {
                var i = 0;
                foreach (var s in statements.EnumerateArray())
                {
                    ValidateStatement(s, i++, requirePrincipal, requireResource);
                }
            }
            else
            {
                throw new PolicyFormatException("Statement must be a statement or a non-empty list of statements.");
            }
        }
    }

    private static void ValidateStatement(JsonElement s, int index, bool requirePrincipal, bool requireResource)
    {
        var where = $"Statement {index + 1}";
        if (s.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyFormatException($"{where} is not a JSON object.");
        }

        foreach (var p in s.EnumerateObject())
        {
            if (!StatementElements.Contains(p.Name))
            {
                throw new PolicyFormatException($"{where} has an unknown element '{p.Name}'.");
            }
        }

        if (!s.TryGetProperty("Effect", out var effect) || effect.ValueKind != JsonValueKind.String || effect.GetString() is not ("Allow" or "Deny"))
        {
            throw new PolicyFormatException($"{where}: Effect must be \"Allow\" or \"Deny\".");
        }

        RequireOneOf(s, where, "Action", "NotAction", required: true);
        RequireOneOf(s, where, "Resource", "NotResource", required: requireResource);
        RequireOneOf(s, where, "Principal", "NotPrincipal", required: requirePrincipal);
        CheckStrings(s, where, "Action", "NotAction", "Resource", "NotResource");

        if (s.TryGetProperty("Condition", out var condition) && condition.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyFormatException($"{where}: Condition must be a JSON object.");
        }
    }

    private static void RequireOneOf(JsonElement s, string where, string a, string b, bool required)
    {
        var hasA = s.TryGetProperty(a, out _);
        var hasB = s.TryGetProperty(b, out _);
        if (hasA && hasB)
        {
            throw new PolicyFormatException($"{where} has both {a} and {b}.");
        }

        if (required && !hasA && !hasB)
        {
            throw new PolicyFormatException($"{where} has neither {a} nor {b}.");
        }
    }

    private static void CheckStrings(JsonElement s, string where, params string[] names)
    {
        foreach (var name in names)
        {
            if (!s.TryGetProperty(name, out var value))
            {
                continue;
            }

            var ok = value.ValueKind == JsonValueKind.String
                || (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String));
            if (!ok)
            {
                throw new PolicyFormatException($"{where}: {name} must be a string or a non-empty list of strings.");
            }
        }
    }
}
