using System.Globalization;
using System.Text.Json;

namespace Coffer.Core.Parameters;

/// <summary>
/// Parameter policies (advanced parameters only), in AWS's JSON form:
/// <c>[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2030-12-02T21:34:33.000Z"}},
/// {"Type":"ExpirationNotification","Version":"1.0","Attributes":{"Before":"15","Unit":"Days"}},
/// {"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"20","Unit":"Days"}}]</c>.
/// </summary>
public static class ParameterPolicies
{
    public const string Expiration = "Expiration";
    public const string ExpirationNotification = "ExpirationNotification";
    public const string NoChangeNotification = "NoChangeNotification";
    private const int MaxPolicies = 10;

    /// <summary>Parses and checks a Policies document; every policy starts Pending.</summary>
    public static IReadOnlyList<ParameterPolicy> Parse(string json, DateTimeOffset now)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            throw SsmErrors.InvalidPolicyAttribute("The policies are not valid JSON: give a JSON array of policies.");
        }

        using (doc)
        {
            var items = doc.RootElement.ValueKind switch
            {
                JsonValueKind.Array => doc.RootElement.EnumerateArray().ToList(),
                JsonValueKind.Object => [doc.RootElement],
                _ => throw SsmErrors.InvalidPolicyAttribute("The policies must be a JSON array of policies."),
            };
            if (items.Count > MaxPolicies)
            {
                throw SsmErrors.PoliciesLimitExceeded();
            }

            var policies = items.Select(p => ParseOne(p, now)).ToList();
            if (policies.GroupBy(p => p.Type).Any(g => g.Count() > 1))
            {
                throw SsmErrors.IncompatiblePolicy("There is a conflict in the policies specified for this parameter: a parameter can have one policy of each type.");
            }

            if (policies.Any(p => p.Type == ExpirationNotification) && policies.All(p => p.Type != Expiration))
            {
                throw SsmErrors.IncompatiblePolicy("An ExpirationNotification policy needs an Expiration policy on the same parameter.");
            }

            return policies;
        }
    }

    /// <summary>When a pending policy is next due, given the parameter's policies and last change; null when none is.</summary>
    public static DateTimeOffset? NextDue(ParameterVersion current)
    {
        DateTimeOffset? next = null;
        foreach (var policy in current.Policies)
        {
            if (policy.Status == ParameterPolicy.Pending && DueAt(policy, current) is { } due && (next is null || due < next))
            {
                next = due;
            }
        }

        return next;
    }

    /// <summary>When a policy acts: at the expiration, before it, or after the parameter has not changed for a while.</summary>
    public static DateTimeOffset? DueAt(ParameterPolicy policy, ParameterVersion current)
    {
        using var doc = JsonDocument.Parse(policy.Text);
        var attributes = doc.RootElement.GetProperty("Attributes");
        return policy.Type switch
        {
            Expiration => Timestamp(attributes),
            ExpirationNotification => ExpirationOf(current) is { } expires ? expires - Period(attributes, "Before") : null,
            NoChangeNotification => current.LastModifiedDate + Period(attributes, "After"),
            _ => null,
        };
    }

    public static DateTimeOffset? ExpirationOf(ParameterVersion current)
    {
        var expiration = current.Policies.FirstOrDefault(p => p.Type == Expiration);
        if (expiration is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(expiration.Text);
        return Timestamp(doc.RootElement.GetProperty("Attributes"));
    }

    private static ParameterPolicy ParseOne(JsonElement policy, DateTimeOffset now)
    {
        if (policy.ValueKind != JsonValueKind.Object || !policy.TryGetProperty("Type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw SsmErrors.InvalidPolicyAttribute("Each policy must be a JSON object with a Type, a Version and Attributes.");
        }

        var type = typeElement.GetString()!;
        if (type is not (Expiration or ExpirationNotification or NoChangeNotification))
        {
            throw SsmErrors.InvalidPolicyType(type);
        }

        if (policy.TryGetProperty("Version", out var version) && version.GetString() != "1.0")
        {
            throw SsmErrors.InvalidPolicyAttribute($"The {type} policy's Version must be 1.0.");
        }

        if (!policy.TryGetProperty("Attributes", out var attributes) || attributes.ValueKind != JsonValueKind.Object)
        {
            throw SsmErrors.InvalidPolicyAttribute($"The {type} policy needs Attributes.");
        }

        if (type == Expiration)
        {
            if (Timestamp(attributes) <= now)
            {
                throw SsmErrors.InvalidPolicyAttribute("The Expiration policy's Timestamp must be in the future.");
            }
        }
        else
        {
            Period(attributes, type == ExpirationNotification ? "Before" : "After");
        }

        return new ParameterPolicy(type, policy.GetRawText(), ParameterPolicy.Pending);
    }

    private static DateTimeOffset Timestamp(JsonElement attributes)
    {
        if (attributes.TryGetProperty("Timestamp", out var t) && t.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
        {
            return timestamp;
        }

        throw SsmErrors.InvalidPolicyAttribute("The Expiration policy needs a Timestamp attribute in ISO 8601 form, such as 2030-12-02T21:34:33.000Z.");
    }

    private static TimeSpan Period(JsonElement attributes, string name)
    {
        if (attributes.TryGetProperty(name, out var amount) && amount.ValueKind == JsonValueKind.String
            && int.TryParse(amount.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            && attributes.TryGetProperty("Unit", out var unit) && unit.GetString() is "Days" or "Hours")
        {
            return unit.GetString() == "Days" ? TimeSpan.FromDays(n) : TimeSpan.FromHours(n);
        }

        throw SsmErrors.InvalidPolicyAttribute($"The policy needs a positive whole number \"{name}\" and a \"Unit\" of Days or Hours.");
    }
}
