using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Coffer.Core;

namespace Coffer.Server.Aws.Protocol;

/// <summary>
/// Checks a JSON request against its input shape as AWS's services do: required members, lengths,
/// ranges, patterns and enums give one <c>ValidationException</c> listing every violation in AWS's
/// wording ("1 validation error detected: Value 'x' at 'keyId' failed to satisfy constraint: ...");
/// a value of the wrong JSON type gives <c>SerializationException</c>. Sensitive values are never
/// echoed back.
/// <para>AWS's wording, as its services answer (collected from public SDK and CLI users' reports and
/// emulator test fixtures that pin it against the real services):</para>
/// <list type="bullet">
/// <item>a sensitive member's value is left out, not masked: "Value at 'secretString' failed to satisfy
/// constraint: ..." (Secrets Manager), "Value at 'value' failed to satisfy constraint: Member must have length
/// greater than or equal to 1" (Parameter Store's PutParameter, as quoted from a live failure);</item>
/// <item>a blob shows the Java buffer that held it: "Value 'java.nio.HeapByteBuffer[pos=0 lim=0 cap=0]' at
/// 'ciphertextBlob' failed to satisfy constraint: Member must have length greater than or equal to 1" (KMS);</item>
/// <item>a list whose scalar members break their constraints is one error at the list, naming every
/// constraint of the member: "Value '[ccc]' at 'subjectAlternativeNames' failed to satisfy constraint: Member
/// must satisfy constraint: [Member must have length less than or equal to 253, Member must have length
/// greater than or equal to 1, Member must satisfy regular expression pattern: ...]" (ACM, Lambda);</item>
/// <item>an enum: "Member must satisfy enum value set: [A, B]"; several errors: "N validation errors detected:
/// first; second".</item>
/// </list>
/// </summary>
public static class ModelValidator
{
    public static void Validate(Shape input, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new CofferException(ErrorCodes.Serialization, "The request body must be a JSON object.");
        }

        var errors = new List<string>();
        ValidateStructure(input, body, "", errors);
        if (errors.Count > 0)
        {
            var noun = errors.Count == 1 ? "error" : "errors";
            throw CommonErrors.Validation($"{errors.Count} validation {noun} detected: {string.Join("; ", errors)}");
        }
    }

    private static void ValidateStructure(Shape shape, JsonElement value, string path, List<string> errors)
    {
        foreach (var required in shape.Required)
        {
            if (!value.TryGetProperty(required, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                errors.Add($"Value null at '{Join(path, required)}' failed to satisfy constraint: Member must not be null");
            }
        }

        foreach (var property in value.EnumerateObject())
        {
            if (shape.Members.TryGetValue(property.Name, out var member) && property.Value.ValueKind != JsonValueKind.Null)
            {
                ValidateValue(member.Shape, property.Value, Join(path, property.Name), errors);
            }
        }
    }

    private static void ValidateValue(Shape shape, JsonElement value, string path, List<string> errors)
    {
        switch (shape.Type)
        {
            case "structure":
                Expect(value, JsonValueKind.Object, shape, path);
                ValidateStructure(shape, value, path, errors);
                break;
            case "list":
                Expect(value, JsonValueKind.Array, shape, path);
                CheckLength(shape, value, value.GetArrayLength(), path, errors);
                if (shape.ListMember!.Type == "string")
                {
                    ValidateStringMembers(shape, value, path, errors);
                    break;
                }

                var index = 1;
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Null)
                    {
                        ValidateValue(shape.ListMember!, item, $"{path}.{index}.member", errors);
                    }

                    index++;
                }

                break;
            case "map":
                Expect(value, JsonValueKind.Object, shape, path);
                var count = 0;
                foreach (var entry in value.EnumerateObject())
                {
                    count++;
                    ValidateString(shape.MapKey!, entry.Name, $"{path}.{count}.key", errors);
                    if (entry.Value.ValueKind != JsonValueKind.Null)
                    {
                        ValidateValue(shape.MapValue!, entry.Value, $"{path}.{count}.value", errors);
                    }
                }

                CheckLength(shape, value, count, path, errors);
                break;
            case "string":
                Expect(value, JsonValueKind.String, shape, path);
                ValidateString(shape, value.GetString()!, path, errors);
                break;
            case "blob":
                Expect(value, JsonValueKind.String, shape, path);
                if (!value.TryGetBytesFromBase64(out var bytes))
                {
                    throw new CofferException(ErrorCodes.Serialization, $"The value of '{path}' is not valid base64.");
                }

                CheckLength(shape, value, bytes.Length, path, errors);
                break;
            case "integer" or "long":
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var integer))
                {
                    throw TypeMismatch(shape, path);
                }

                CheckRange(shape, value, integer, path, errors);
                break;
            case "double" or "float":
                Expect(value, JsonValueKind.Number, shape, path);
                CheckRange(shape, value, value.GetDouble(), path, errors);
                break;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw TypeMismatch(shape, path);
                }

                break;
            case "timestamp":
                if (value.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
                {
                    throw TypeMismatch(shape, path);
                }

                break;
        }
    }

    private static void ValidateString(Shape shape, string text, string path, List<string> errors)
    {
        var length = text.EnumerateRunes().Count();
        if (shape.Min is { } min && length < min)
        {
            errors.Add(Message(shape, Quote(shape, text), path, $"Member must have length greater than or equal to {Format(min)}"));
        }

        if (shape.Max is { } max && length > max)
        {
            errors.Add(Message(shape, Quote(shape, text), path, $"Member must have length less than or equal to {Format(max)}"));
        }

        if (shape.Enum is { } values && !values.Contains(text))
        {
            errors.Add(Message(shape, Quote(shape, text), path, $"Member must satisfy enum value set: [{string.Join(", ", values)}]"));
        }

        if (shape.Pattern is { } pattern && !Matches(pattern, text))
        {
            errors.Add(Message(shape, Quote(shape, text), path, $"Member must satisfy regular expression pattern: {shape.PatternText}"));
        }
    }

    /// <summary>A list of strings: one error at the list when any member breaks a constraint, in AWS's list-member wording.</summary>
    private static void ValidateStringMembers(Shape list, JsonElement value, string path, List<string> errors)
    {
        var member = list.ListMember!;
        var broken = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Null)
            {
                Expect(item, JsonValueKind.String, member, path);
                ValidateString(member, item.GetString()!, path, broken);
            }
        }

        if (broken.Count == 0)
        {
            return;
        }

        var constraints = new List<string>();
        if (member.Max is { } max)
        {
            constraints.Add($"Member must have length less than or equal to {Format(max)}");
        }

        if (member.Min is { } min)
        {
            constraints.Add($"Member must have length greater than or equal to {Format(min)}");
        }

        if (member.Enum is { } values)
        {
            constraints.Add($"Member must satisfy enum value set: [{string.Join(", ", values)}]");
        }

        if (member.Pattern is not null)
        {
            constraints.Add($"Member must satisfy regular expression pattern: {member.PatternText}");
        }

        errors.Add(Message(member, Render(list, value), path, $"Member must satisfy constraint: [{string.Join(", ", constraints)}]"));
    }

    private static bool Matches(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static void CheckLength(Shape shape, JsonElement value, int length, string path, List<string> errors)
    {
        if (shape.Min is { } min && length < min)
        {
            errors.Add(Message(shape, Render(shape, value), path, $"Member must have length greater than or equal to {Format(min)}"));
        }

        if (shape.Max is { } max && length > max)
        {
            errors.Add(Message(shape, Render(shape, value), path, $"Member must have length less than or equal to {Format(max)}"));
        }
    }

    private static void CheckRange(Shape shape, JsonElement value, double number, string path, List<string> errors)
    {
        if (shape.Min is { } min && number < min)
        {
            errors.Add(Message(shape, Render(shape, value), path, $"Member must have value greater than or equal to {Format(min)}"));
        }

        if (shape.Max is { } max && number > max)
        {
            errors.Add(Message(shape, Render(shape, value), path, $"Member must have value less than or equal to {Format(max)}"));
        }
    }

    /// <summary>AWS's message; a sensitive member's value is left out entirely ("Value at 'x' ...").</summary>
    private static string Message(Shape shape, string? rendered, string path, string constraint) =>
        shape.Sensitive || rendered is null
            ? $"Value at '{path}' failed to satisfy constraint: {constraint}"
            : $"Value {rendered} at '{path}' failed to satisfy constraint: {constraint}";

    private static string? Quote(Shape shape, string text) => shape.Sensitive ? null : $"'{text}'";

    private static string? Render(Shape shape, JsonElement value)
    {
        if (shape.Sensitive || (shape.Type == "list" && shape.ListMember!.Sensitive))
        {
            return null;
        }

        if (shape.Type == "blob")
        {
            // What AWS's Java front end prints for the bytes: the buffer, never its content.
            var length = value.TryGetBytesFromBase64(out var bytes) ? bytes.Length : 0;
            return $"'java.nio.HeapByteBuffer[pos=0 lim={length} cap={length}]'";
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => $"'{value.GetString()}'",
            JsonValueKind.Array => "'[" + string.Join(", ", value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())) + "]'",
            _ => $"'{value.GetRawText()}'",
        };
    }

    private static void Expect(JsonElement value, JsonValueKind kind, Shape shape, string path)
    {
        if (value.ValueKind != kind)
        {
            throw TypeMismatch(shape, path);
        }
    }

    private static CofferException TypeMismatch(Shape shape, string path) =>
        new(ErrorCodes.Serialization, $"Unexpected value type at '{path}': expected {Article(shape.Type)} {shape.Type} ({shape.Name}).");

    private static string Article(string type) => type[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a";

    /// <summary>AWS names members in lower camel case in these messages: KeyId becomes keyId.</summary>
    private static string Join(string path, string member)
    {
        var name = member.Length > 0 ? char.ToLowerInvariant(member[0]) + member[1..] : member;
        return path.Length == 0 ? name : path + "." + name;
    }

    private static string Format(double number) => number.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Copies a request's members into the audit record's requestParameters, leaving out every
/// sensitive member and every blob, named in lower camel case as CloudTrail names them.
/// </summary>
public static class RequestRedactor
{
    public static System.Text.Json.Nodes.JsonObject? Redact(Shape? input, JsonElement body)
    {
        if (input is null || body.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return Structure(input, body);
    }

    private static System.Text.Json.Nodes.JsonObject Structure(Shape shape, JsonElement value)
    {
        var result = new System.Text.Json.Nodes.JsonObject();
        foreach (var property in value.EnumerateObject())
        {
            // JsonProperty.Name makes the string each time it is read.
            var given = property.Name;
            if (!shape.Members.TryGetValue(given, out var member) || member.Shape.Sensitive || member.Shape.Type == "blob")
            {
                continue;
            }

            result[CamelNames.GetOrAdd(given, static n => char.ToLowerInvariant(n[0]) + n[1..])] = Value(member.Shape, property.Value);
        }

        return result;
    }

    /// <summary>Each member's name as the record spells it, made once: only the models' member names get here.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> CamelNames = new(StringComparer.Ordinal);

    private static System.Text.Json.Nodes.JsonNode? Value(Shape shape, JsonElement value)
    {
        switch (shape.Type)
        {
            case "structure" when value.ValueKind == JsonValueKind.Object:
                return Structure(shape, value);
            case "list" when value.ValueKind == JsonValueKind.Array:
                var array = new System.Text.Json.Nodes.JsonArray();
                foreach (var item in value.EnumerateArray())
                {
                    array.Add(shape.ListMember!.Sensitive || shape.ListMember.Type == "blob" ? null : Value(shape.ListMember, item));
                }

                return array;
            case "map" when value.ValueKind == JsonValueKind.Object && (shape.MapValue!.Sensitive || shape.MapValue.Type == "blob"):
                var keys = new System.Text.Json.Nodes.JsonObject();
                foreach (var entry in value.EnumerateObject())
                {
                    keys[entry.Name] = Redacted();
                }

                return keys;
            // A string or a boolean as a value node, written as the element would be (the same
            // writer escapes the same text), rather than its raw text parsed again (issue 11).
            case "string" when value.ValueKind == JsonValueKind.String:
                return System.Text.Json.Nodes.JsonValue.Create(value.GetString());
            case "boolean" when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                return System.Text.Json.Nodes.JsonValue.Create(value.GetBoolean());
            default:
                return System.Text.Json.Nodes.JsonNode.Parse(value.GetRawText());
        }
    }

    private static string Redacted() => "HIDDEN_DUE_TO_SECURITY_REASONS";
}
