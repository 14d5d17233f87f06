using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coffer.Core.Events;

public sealed partial class EventPattern
{
    /// <summary>One condition of a leaf: it matches a single (non-array) event value.</summary>
    private abstract record Condition
    {
        public abstract bool Matches(JsonNode? value);

        public static Condition Parse(JsonNode? node, string where)
        {
            if (node is not JsonObject obj)
            {
                return new Exact(node?.DeepClone());
            }

            if (obj.Count != 1)
            {
                throw EventErrors.InvalidPattern($"a condition at {where} must have exactly one operator.");
            }

            var (op, arg) = obj.First();
            return op switch
            {
                "prefix" => new Prefix(TextOrIgnoreCase(arg, op, where, out var ic), ic),
                "suffix" => new Suffix(TextOrIgnoreCase(arg, op, where, out var ic), ic),
                "equals-ignore-case" => new IgnoreCase(Str(arg, op, where)),
                "wildcard" => new Wildcard(Str(arg, op, where)),
                "exists" => arg is JsonValue v && v.TryGetValue<bool>(out var b) ? new Exists(b) : throw EventErrors.InvalidPattern($"exists at {where} must be true or false."),
                "numeric" => Numeric.ParseArgument(arg, where),
                "cidr" => IPNetwork.TryParse(Str(arg, op, where), out var net) ? new Cidr(net) : throw EventErrors.InvalidPattern($"cidr at {where} is not a CIDR block."),
                "anything-but" => AnythingBut.ParseArgument(arg, where),
                _ => throw EventErrors.InvalidPattern($"unrecognized match type {op} at {where}."),
            };
        }

        protected static string Str(JsonNode? arg, string op, string where) =>
            arg is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw EventErrors.InvalidPattern($"{op} at {where} must be a string.");

        protected static string? AsString(JsonNode? value) => value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        private static string TextOrIgnoreCase(JsonNode? arg, string op, string where, out bool ignoreCase)
        {
            ignoreCase = arg is JsonObject;
            return arg is JsonObject { Count: 1 } o && o.TryGetPropertyValue("equals-ignore-case", out var inner) ? Str(inner, op, where) : Str(arg, op, where);
        }
    }

    private sealed record Exact(JsonNode? Expected) : Condition
    {
        public override bool Matches(JsonNode? value)
        {
            if (Expected is null || value is null)
            {
                return Expected is null && value is null;
            }

            var e = Expected.AsValue();
            if (value is not JsonValue v || e.GetValueKind() != v.GetValueKind())
            {
                return false;
            }

            return e.GetValueKind() == JsonValueKind.Number
                ? e.GetValue<double>() == v.GetValue<double>()
                : JsonNode.DeepEquals(e, v);
        }
    }

    private sealed record Prefix(string Text, bool IgnoreCase) : Condition
    {
        public override bool Matches(JsonNode? value) =>
            AsString(value) is { } s && s.StartsWith(Text, IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private sealed record Suffix(string Text, bool IgnoreCase) : Condition
    {
        public override bool Matches(JsonNode? value) =>
            AsString(value) is { } s && s.EndsWith(Text, IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private sealed record IgnoreCase(string Text) : Condition
    {
        public override bool Matches(JsonNode? value) => AsString(value) is { } s && string.Equals(s, Text, StringComparison.OrdinalIgnoreCase);
    }

    private sealed record Exists(bool Expected) : Condition
    {
        // A present value: exists true matches, exists false does not (absence is handled by the leaf).
        public override bool Matches(JsonNode? value) => Expected;
    }

    private sealed record Cidr(IPNetwork Network) : Condition
    {
        public override bool Matches(JsonNode? value) => AsString(value) is { } s && IPAddress.TryParse(s, out var ip) && Network.Contains(ip);
    }

    /// <summary><c>*</c> matches any run of characters; <c>\*</c> and <c>\\</c> are literal.</summary>
    private sealed record Wildcard(string Pattern) : Condition
    {
        public override bool Matches(JsonNode? value) => AsString(value) is { } s && Glob(Pattern, 0, s, 0);

        private static bool Glob(string p, int pi, string s, int si)
        {
            while (pi < p.Length)
            {
                var c = p[pi];
                if (c == '*')
                {
                    for (var k = si; k <= s.Length; k++)
                    {
                        if (Glob(p, pi + 1, s, k))
                        {
                            return true;
                        }
                    }

                    return false;
                }

                if (c == '\\' && pi + 1 < p.Length)
                {
                    c = p[++pi];
                }

                if (si >= s.Length || s[si] != c)
                {
                    return false;
                }

                pi++;
                si++;
            }

            return si == s.Length;
        }
    }

    private sealed record AnythingBut(IReadOnlyList<Condition> Excluded) : Condition
    {
        public override bool Matches(JsonNode? value) => !Excluded.Any(c => c.Matches(value));

        public static AnythingBut ParseArgument(JsonNode? arg, string where) => arg switch
        {
            JsonArray list when list.Count > 0 && list.All(i => i is JsonValue) => new AnythingBut([.. list.Select(i => new Exact(i!.DeepClone()))]),
            JsonValue v => new AnythingBut([new Exact(v.DeepClone())]),
            JsonObject { Count: 1 } o when o.First().Key is "prefix" or "suffix" or "equals-ignore-case" or "wildcard" => new AnythingBut([Condition.Parse(o, where)]),
            _ => throw EventErrors.InvalidPattern($"anything-but at {where} must be a value, a list of values, or a prefix, suffix, wildcard or equals-ignore-case."),
        };
    }

    private sealed record Numeric(IReadOnlyList<(string Op, double Bound)> Bounds) : Condition
    {
        public override bool Matches(JsonNode? value)
        {
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
            {
                return false;
            }

            var x = v.GetValue<double>();
            return Bounds.All(b => b.Op switch
            {
                "=" => x == b.Bound,
                "<" => x < b.Bound,
                "<=" => x <= b.Bound,
                ">" => x > b.Bound,
                _ => x >= b.Bound,
            });
        }

        public static Numeric ParseArgument(JsonNode? arg, string where)
        {
            if (arg is not JsonArray list || list.Count is not (2 or 4))
            {
                throw EventErrors.InvalidPattern($"numeric at {where} must be [op, number] or [op, number, op, number].");
            }

            var bounds = new List<(string, double)>();
            for (var i = 0; i < list.Count; i += 2)
            {
                var op = list[i] is JsonValue o && o.TryGetValue<string>(out var s) && s is "=" or "<" or "<=" or ">" or ">=" ? s : null;
                if (op is null || list[i + 1] is not JsonValue n || n.GetValueKind() != JsonValueKind.Number)
                {
                    throw EventErrors.InvalidPattern($"numeric at {where} has an unknown operator or a bound that is not a number.");
                }

                bounds.Add((op, n.GetValue<double>()));
            }

            if (bounds.Count == 2 && (bounds[0].Item1 is not (">" or ">=") || bounds[1].Item1 is not ("<" or "<=") || bounds[0].Item2 >= bounds[1].Item2))
            {
                throw EventErrors.InvalidPattern($"numeric range at {where} must be a lower bound (> or >=) then a greater upper bound (< or <=).");
            }

            return new Numeric(bounds);
        }
    }
}
