using System.Text.Json;

namespace Coffer.Core.Access;

/// <summary>A policy document that failed validation; the message says what is wrong and where.</summary>
public sealed class PolicyFormatException(string message) : Exception(message);

/// <summary>
/// The IAM policy language's parser and compiler, for identity, resource (key, secret), trust and
/// session policies: JSON, a known Version, a Statement of one or more statements each with an
/// Effect, exactly one of Action/NotAction, Resource/NotResource and Principal/NotPrincipal as the
/// kind requires, well-formed actions, ARNs, principals and conditions. A failure names the
/// statement and the element.
/// </summary>
public static class PolicyDocument
{
    private static readonly HashSet<string> TopLevel = ["Version", "Id", "Statement"];
    private static readonly HashSet<string> StatementElements =
        ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

    /// <summary>Validates a document as before compilation existed: a resource policy when <paramref name="requirePrincipal"/>.</summary>
    public static void Validate(string json, bool requirePrincipal = false, bool requireResource = true) =>
        Parse(json, requirePrincipal ? (requireResource ? PolicyKind.Resource : PolicyKind.Trust) : PolicyKind.Identity);

    /// <summary>Parses, validates and compiles a document; throws <see cref="PolicyFormatException"/>.</summary>
    public static Policy Parse(string json, PolicyKind kind)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // ArgumentException: the text holds a lone surrogate, which no UTF-8 JSON can carry (issue 8, fuzzing).
            throw new PolicyFormatException("The policy is not valid JSON.");
        }

        using (doc)
        {
            var root = doc.RootElement;
            RequireUnicodeText(root);
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

            var version = "2008-10-17";
            if (root.TryGetProperty("Version", out var v))
            {
                version = v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
                if (version is not ("2012-10-17" or "2008-10-17"))
                {
                    throw new PolicyFormatException("The policy Version must be \"2012-10-17\" or \"2008-10-17\".");
                }
            }

            string? id = root.TryGetProperty("Id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
            if (!root.TryGetProperty("Statement", out var statements))
            {
                throw new PolicyFormatException("The policy has no Statement.");
            }

            var variables = version == "2012-10-17";
            var compiled = new List<PolicyStatement>();
            if (statements.ValueKind == JsonValueKind.Object)
            {
                compiled.Add(Statement(statements, 1, kind, variables));
            }
            else if (statements.ValueKind == JsonValueKind.Array && statements.GetArrayLength() > 0)
            {
                foreach (var s in statements.EnumerateArray())
                {
                    compiled.Add(Statement(s, compiled.Count + 1, kind, variables));
                }
            }
            else
            {
                throw new PolicyFormatException("Statement must be a statement or a non-empty list of statements.");
            }

            StatementPositions.Assign(json, compiled);
            return new Policy(id, version, compiled);
        }
    }

    /// <summary>
    /// Refuses a string or name that is no Unicode text, such as an escaped lone surrogate
    /// (<c>"\ud800"</c>), here, once, rather than as an exception from whichever element reads it
    /// later (issue 8: found by fuzzing, it was a 500).
    /// </summary>
    private static void RequireUnicodeText(JsonElement root)
    {
        try
        {
            Visit(root);
        }
        catch (InvalidOperationException)
        {
            throw new PolicyFormatException("The policy contains a string that is not valid Unicode text (a lone surrogate).");
        }

        static void Visit(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        _ = property.Name;
                        Visit(property.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Visit(item);
                    }

                    break;
                case JsonValueKind.String:
                    _ = element.GetString();
                    break;
            }
        }
    }

    private static PolicyStatement Statement(JsonElement s, int number, PolicyKind kind, bool variables)
    {
        var where = $"Statement {number}";
        if (s.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyFormatException($"{where} is not a JSON object.");
        }

        if (s.TryGetProperty("Sid", out var sidElement) && sidElement.ValueKind == JsonValueKind.String)
        {
            where += $" (Sid \"{sidElement.GetString()}\")";
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

        var actionName = OneOf(s, where, "Action", "NotAction", required: true, prohibited: false)!;
        var resourceName = OneOf(s, where, "Resource", "NotResource", required: kind is PolicyKind.Identity or PolicyKind.Resource, prohibited: kind == PolicyKind.Trust);
        var principalName = OneOf(s, where, "Principal", "NotPrincipal", required: kind is PolicyKind.Resource or PolicyKind.Trust, prohibited: kind == PolicyKind.Identity);

        var actions = Strings(s.GetProperty(actionName), where, actionName);
        foreach (var action in actions)
        {
            if (action != "*" && (action.IndexOf(':', StringComparison.Ordinal) <= 0 || action.EndsWith(':')))
            {
                throw new PolicyFormatException($"{where}: {actionName} '{action}' must be \"*\" or \"service:action\": actions must be prefaced by a vendor, e.g. kms, ssm, secretsmanager.");
            }
        }

        ArnPattern[]? resources = null;
        if (resourceName is not null)
        {
            var values = Strings(s.GetProperty(resourceName), where, resourceName);
            foreach (var resource in values)
            {
                if (resource != "*" && !resource.StartsWith("arn:", StringComparison.Ordinal))
                {
                    throw new PolicyFormatException($"{where}: {resourceName} '{resource}' must be an ARN (arn:partition:service:region:account:resource) or \"*\".");
                }
            }

            resources = [.. values.Select(r => new ArnPattern(r, variables))];
        }

        return new PolicyStatement(number, sidElement.ValueKind == JsonValueKind.String ? sidElement.GetString() : null, effect.GetString() == "Allow")
        {
            Actions = [.. actions.Select(a => new StringPattern(a, wildcards: true, variables: false))],
            NotAction = actionName == "NotAction",
            Resources = resources,
            NotResource = resourceName == "NotResource",
            Principals = principalName is null ? null : Principals(s.GetProperty(principalName), where, principalName),
            NotPrincipal = principalName == "NotPrincipal",
            Conditions = s.TryGetProperty("Condition", out var condition) ? Conditions(condition, where, variables) : [],
        };
    }

    private static string? OneOf(JsonElement s, string where, string a, string b, bool required, bool prohibited)
    {
        var hasA = s.TryGetProperty(a, out _);
        var hasB = s.TryGetProperty(b, out _);
        if (hasA && hasB)
        {
            throw new PolicyFormatException($"{where} has both {a} and {b}.");
        }

        if (prohibited && (hasA || hasB))
        {
            throw new PolicyFormatException($"{where} has {(hasA ? a : b)}, which this kind of policy must not have{(a == "Principal" ? ": an identity policy applies to whoever it is attached to" : ": a trust policy's resource is its role")}.");
        }

        if (required && !hasA && !hasB)
        {
            throw new PolicyFormatException($"{where} has neither {a} nor {b}.");
        }

        return hasA ? a : hasB ? b : null;
    }

    private static List<string> Strings(JsonElement value, string where, string name)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return [value.GetString()!];
        }

        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String))
        {
            return [.. value.EnumerateArray().Select(v => v.GetString()!)];
        }

        throw new PolicyFormatException($"{where}: {name} must be a string or a non-empty list of strings.");
    }

    private static PrincipalSet Principals(JsonElement value, string where, string name)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString() == "*"
                ? new PrincipalSet(anyone: true, [], [])
                : throw new PolicyFormatException($"{where}: {name} must be \"*\" or an object such as {{\"AWS\": \"arn:aws:iam::111122223333:root\"}}.");
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyFormatException($"{where}: {name} must be \"*\" or an object such as {{\"AWS\": \"arn:aws:iam::111122223333:root\"}}.");
        }

        var aws = new List<string>();
        var services = new List<string>();
        foreach (var p in value.EnumerateObject())
        {
            var values = Strings(p.Value, where, $"{name}.{p.Name}");
            switch (p.Name)
            {
                case "AWS":
                    foreach (var v in values)
                    {
                        aws.Add(PrincipalSet.NormalizeAws(v)
                            ?? throw new PolicyFormatException($"{where}: {name} has an invalid principal \"AWS\": \"{v}\": use \"*\", an account id, or the ARN of a user, role, assumed-role session or account root (no wildcards inside an ARN; match those with a condition on aws:PrincipalArn)."));
                    }

                    break;
                case "Service":
                    services.AddRange(values);
                    break;
                case "Federated" or "CanonicalUser":
                    // Accepted as IAM does; Coffer has no federated or S3 canonical users, so they match no caller.
                    break;
                default:
                    throw new PolicyFormatException($"{where}: {name} has an unknown principal type '{p.Name}' (AWS, Service, Federated or CanonicalUser).");
            }
        }

        return new PrincipalSet(anyone: false, aws, [.. services]);
    }

    private static Condition[] Conditions(JsonElement value, string where, bool variables)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyFormatException($"{where}: Condition must be a JSON object.");
        }

        var conditions = new List<Condition>();
        foreach (var op in value.EnumerateObject())
        {
            if (op.Value.ValueKind != JsonValueKind.Object)
            {
                throw new PolicyFormatException($"{where}: Condition: {op.Name} must map condition keys to values.");
            }

            foreach (var key in op.Value.EnumerateObject())
            {
                conditions.Add(Condition.Compile(op.Name, key.Name, ConditionValues(key.Value, where, op.Name, key.Name), variables, where));
            }
        }

        return [.. conditions];
    }

    private static List<string> ConditionValues(JsonElement value, string where, string op, string key)
    {
        static string? Scalar(JsonElement v) => v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };

        if (Scalar(value) is { } one)
        {
            return [one];
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            var list = new List<string>();
            foreach (var item in value.EnumerateArray())
            {
                list.Add(Scalar(item) ?? throw new PolicyFormatException($"{where}: Condition: {op} '{key}' must have string, number or boolean values."));
            }

            return list;
        }

        throw new PolicyFormatException($"{where}: Condition: {op} '{key}' must have string, number or boolean values.");
    }
}
