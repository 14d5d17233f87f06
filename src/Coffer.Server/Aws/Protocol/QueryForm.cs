using System.Globalization;
using System.Text.Json.Nodes;
using Coffer.Core;

namespace Coffer.Server.Aws.Protocol;

/// <summary>
/// Reads an AWS query-protocol request (form-encoded body or query string: <c>Action</c>,
/// <c>Version</c>, members, lists as <c>Name.member.N</c>, maps as <c>Name.entry.N.key/value</c>)
/// into the JSON shape that the JSON adapter validates and deserializes, driven by the input shape.
/// </summary>
public static class QueryForm
{
    /// <summary>Decodes <c>application/x-www-form-urlencoded</c> text: '+' is a space, then percent-decoding.</summary>
    public static Dictionary<string, string> Parse(string? text, Dictionary<string, string>? into = null)
    {
        var fields = into ?? new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(text))
        {
            return fields;
        }

        foreach (var part in text.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(eq < 0 ? part : part[..eq]);
            if (!name.StartsWith("X-Amz-", StringComparison.OrdinalIgnoreCase))
            {
                fields[name] = eq < 0 ? "" : Decode(part[(eq + 1)..]);
            }
        }

        return fields;
    }

    /// <summary>No input shape nests deeper than this many dots (<c>A.member.1.B.entry.2.value</c> has six).</summary>
    private const int MaxDepth = 64;

    /// <summary>The operation's input as a JSON object; values that cannot be the member's type are a ValidationError.</summary>
    /// <remarks>Linear in the size of the form (issue 8: it was quadratic in the number of members): the
    /// names' prefixes are indexed once, so whether a list item or map entry is present is one lookup.</remarks>
    public static JsonObject ToJson(Shape input, IReadOnlyDictionary<string, string> fields) =>
        Structure(input, "", new Form(fields, Prefixes(fields.Keys))) ?? [];

    /// <summary>Every proper prefix of every name that ends before a dot ("A" and "A.member" for "A.member.1"), up to <see cref="MaxDepth"/>.</summary>
    private static HashSet<string> Prefixes(IEnumerable<string> names)
    {
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var depth = 0;
            for (var dot = name.IndexOf('.', StringComparison.Ordinal); dot >= 0 && depth < MaxDepth; dot = name.IndexOf('.', dot + 1), depth++)
            {
                prefixes.Add(name[..dot]);
            }
        }

        return prefixes;
    }

    private static JsonObject? Structure(Shape shape, string prefix, Form fields)
    {
        var result = new JsonObject();
        foreach (var (name, member) in shape.Members)
        {
            var key = prefix.Length == 0 ? name : prefix + "." + name;
            if (Value(member.Shape, key, fields) is { } node)
            {
                result[name] = node;
            }
        }

        return prefix.Length == 0 || result.Count > 0 ? result : null;
    }

    private static JsonNode? Value(Shape shape, string key, Form fields)
    {
        switch (shape.Type)
        {
            case "structure":
                return Structure(shape, key, fields);
            case "list":
                var list = new JsonArray();
                for (var i = 1; fields.Present(key + ".member." + i); i++)
                {
                    list.Add(Value(shape.ListMember!, key + ".member." + i, fields));
                }

                return list.Count > 0 || fields.Values.ContainsKey(key) ? list : null;
            case "map":
                var map = new JsonObject();
                for (var i = 1; fields.Present(key + ".entry." + i); i++)
                {
                    if (fields.Values.TryGetValue($"{key}.entry.{i}.key", out var k))
                    {
                        map[k] = Value(shape.MapValue!, $"{key}.entry.{i}.value", fields);
                    }
                }

                return map.Count > 0 ? map : null;
        }

        if (!fields.Values.TryGetValue(key, out var text))
        {
            return null;
        }

        switch (shape.Type)
        {
            case "integer" or "long":
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : throw Invalid(key, text);
            case "double" or "float":
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : throw Invalid(key, text);
            case "boolean":
                return bool.TryParse(text, out var b) ? JsonValue.Create(b) : throw Invalid(key, text);
            default:
                return JsonValue.Create(text);
        }
    }

    private static CofferException Invalid(string key, string text) =>
        new("ValidationError", $"Invalid value '{text}' for parameter {key}.");

    private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    /// <summary>The form's fields and the index of their names' prefixes.</summary>
    private sealed record Form(IReadOnlyDictionary<string, string> Values, HashSet<string> Prefixes)
    {
        /// <summary>Whether the form has the field, or any field below it ("key.something").</summary>
        public bool Present(string key) => Values.ContainsKey(key) || Prefixes.Contains(key);
    }
}
