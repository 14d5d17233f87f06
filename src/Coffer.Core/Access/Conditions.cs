using System.Globalization;
using System.Net;

namespace Coffer.Core.Access;

internal enum ConditionFamily
{
    String,
    StringIgnoreCase,
    StringLike,
    Numeric,
    Date,
    Bool,
    Binary,
    IpAddress,
    Arn,
    Null,
}

internal enum Comparison
{
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

internal enum SetOperator
{
    None,
    ForAllValues,
    ForAnyValue,
}

/// <summary>
/// One key under one operator of a Condition element, compiled: <c>"StringLike": {"aws:username": ["a*", "b*"]}</c>.
/// The values are ORed (NORed for a negated operator); a missing key makes a positive operator false
/// and a negated one true, except with <c>IfExists</c> (true) and the set operators (ForAllValues true,
/// ForAnyValue false), as IAM documents.
/// </summary>
internal sealed class Condition
{
    private readonly ConditionFamily _family;
    private readonly Comparison _comparison;
    private readonly bool _negated;
    private readonly bool _ifExists;
    private readonly SetOperator _set;
    private readonly GlobalKey _global;
    private StringPattern[] _strings = [];
    private ArnPattern[] _arns = [];
    private decimal[] _numbers = [];
    private DateTimeOffset[] _dates = [];
    private IPNetwork[] _networks = [];
    private bool _nullExpected;

    private Condition(string op, string key, ConditionFamily family, Comparison comparison, bool negated, bool ifExists, SetOperator set)
    {
        Operator = op;
        Key = key;
        _family = family;
        _comparison = comparison;
        _negated = negated;
        _ifExists = ifExists;
        _set = set;
        _global = GlobalKeys.Identify(key);
    }

    public string Operator { get; }

    public string Key { get; }

    /// <summary>Compiles one operator/key pair; throws <see cref="PolicyFormatException"/> with what is wrong.</summary>
    public static Condition Compile(string op, string key, IReadOnlyList<string> values, bool variables, string where)
    {
        var name = op;
        var set = SetOperator.None;
        if (name.StartsWith("ForAllValues:", StringComparison.Ordinal))
        {
            set = SetOperator.ForAllValues;
            name = name["ForAllValues:".Length..];
        }
        else if (name.StartsWith("ForAnyValue:", StringComparison.Ordinal))
        {
            set = SetOperator.ForAnyValue;
            name = name["ForAnyValue:".Length..];
        }

        var ifExists = name.EndsWith("IfExists", StringComparison.Ordinal) && name != "IfExists";
        if (ifExists)
        {
            name = name[..^"IfExists".Length];
        }

        if (!Operators.TryGetValue(name, out var spec) || (ifExists && spec.Family == ConditionFamily.Null))
        {
            throw new PolicyFormatException($"{where}: Condition: '{op}' is not a condition operator.");
        }

        if (values.Count == 0)
        {
            throw new PolicyFormatException($"{where}: Condition: {op} has no value for '{key}'.");
        }

        var condition = new Condition(op, key, spec.Family, spec.Comparison, spec.Negated, ifExists, set);
        return spec.Family switch
        {
            ConditionFamily.String or ConditionFamily.Binary => condition.With(strings: [.. values.Select(v => new StringPattern(v, wildcards: false, variables))]),
            ConditionFamily.StringIgnoreCase => condition.With(strings: [.. values.Select(v => new StringPattern(v, wildcards: false, variables))]),
            ConditionFamily.StringLike => condition.With(strings: [.. values.Select(v => new StringPattern(v, wildcards: true, variables))]),
            ConditionFamily.Arn => condition.With(arns: [.. values.Select(v => new ArnPattern(v, variables))]),
            ConditionFamily.Numeric => condition.With(numbers: [.. values.Select(v => TryNumber(v) ?? throw Invalid(where, op, key, v, "a number"))]),
            ConditionFamily.Date => condition.With(dates: [.. values.Select(v => TryDate(v) ?? throw Invalid(where, op, key, v, "a date (ISO 8601 or epoch seconds)"))]),
            ConditionFamily.Bool => condition.With(strings: [.. values.Select(v => IsBool(v) ? new StringPattern(v, false, false) : throw Invalid(where, op, key, v, "true or false"))]),
            ConditionFamily.IpAddress => condition.With(networks: [.. values.Select(v => TryNetwork(v) ?? throw Invalid(where, op, key, v, "an IP address or CIDR block"))]),
            _ => values.Count == 1 && IsBool(values[0])
                ? condition.With(nullExpected: values[0].Equals("true", StringComparison.OrdinalIgnoreCase))
                : throw Invalid(where, op, key, values[0], "true or false"),
        };
    }

    public bool Holds(RequestContext context)
    {
        var present = context.TryGetValues(Key, _global, out var values) && values.Count > 0;
        if (_family == ConditionFamily.Null)
        {
            return _nullExpected != present;
        }

        if (!present)
        {
            return _ifExists || _set switch
            {
                SetOperator.ForAllValues => true,
                SetOperator.ForAnyValue => false,
                _ => _negated,
            };
        }

        switch (_set)
        {
            case SetOperator.ForAllValues:
                for (var i = 0; i < values.Count; i++)
                {
                    if (MatchesAny(values[i], context) == _negated)
                    {
                        return false;
                    }
                }

                return true;
            case SetOperator.ForAnyValue:
                for (var i = 0; i < values.Count; i++)
                {
                    if (MatchesAny(values[i], context) != _negated)
                    {
                        return true;
                    }
                }

                return false;
            default:
                for (var i = 0; i < values.Count; i++)
                {
                    if (MatchesAny(values[i], context))
                    {
                        return !_negated;
                    }
                }

                return _negated;
        }
    }

    /// <summary>Whether one request value matches any of the policy's values under the positive form of the operator.</summary>
    private bool MatchesAny(string value, RequestContext context)
    {
        switch (_family)
        {
            case ConditionFamily.String or ConditionFamily.Binary or ConditionFamily.StringLike:
                foreach (var p in _strings)
                {
                    if (p.IsMatch(value, ignoreCase: false, context))
                    {
                        return true;
                    }
                }

                return false;
            case ConditionFamily.StringIgnoreCase or ConditionFamily.Bool:
                foreach (var p in _strings)
                {
                    if (p.IsMatch(value, ignoreCase: true, context))
                    {
                        return true;
                    }
                }

                return false;
            case ConditionFamily.Arn:
                foreach (var p in _arns)
                {
                    if (p.IsMatch(value, context))
                    {
                        return true;
                    }
                }

                return false;
            case ConditionFamily.Numeric:
                return TryNumber(value) is { } n && _numbers.Any(p => Compare(n.CompareTo(p)));
            case ConditionFamily.Date:
                return TryDate(value) is { } d && _dates.Any(p => Compare(d.CompareTo(p)));
            case ConditionFamily.IpAddress:
                return IPAddress.TryParse(value, out var address) && _networks.Any(n => n.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));
            default:
                return false;
        }
    }

    private bool Compare(int order) => _comparison switch
    {
        Comparison.Equal => order == 0,
        Comparison.Less => order < 0,
        Comparison.LessOrEqual => order <= 0,
        Comparison.Greater => order > 0,
        _ => order >= 0,
    };

    private Condition With(StringPattern[]? strings = null, ArnPattern[]? arns = null, decimal[]? numbers = null, DateTimeOffset[]? dates = null, IPNetwork[]? networks = null, bool nullExpected = false)
    {
        _strings = strings ?? [];
        _arns = arns ?? [];
        _numbers = numbers ?? [];
        _dates = dates ?? [];
        _networks = networks ?? [];
        _nullExpected = nullExpected;
        return this;
    }

    private static bool IsBool(string v) => v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.Equals("false", StringComparison.OrdinalIgnoreCase);

    private static decimal? TryNumber(string v) =>
        decimal.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static DateTimeOffset? TryDate(string v)
    {
        if (long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            return DateTimeOffset.FromUnixTimeSeconds(epoch);
        }

        return DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date) ? date : null;
    }

    private static IPNetwork? TryNetwork(string v)
    {
        if (IPNetwork.TryParse(v, out var network))
        {
            return network;
        }

        return IPAddress.TryParse(v, out var address) ? new IPNetwork(address, address.GetAddressBytes().Length * 8) : null;
    }

    private static PolicyFormatException Invalid(string where, string op, string key, string value, string expected) =>
        new($"{where}: Condition: {op} '{key}' needs {expected}, not '{value}'.");

    private readonly record struct Spec(ConditionFamily Family, Comparison Comparison, bool Negated);

    private static readonly Dictionary<string, Spec> Operators = new(StringComparer.Ordinal)
    {
        ["StringEquals"] = new(ConditionFamily.String, Comparison.Equal, false),
        ["StringNotEquals"] = new(ConditionFamily.String, Comparison.Equal, true),
        ["StringEqualsIgnoreCase"] = new(ConditionFamily.StringIgnoreCase, Comparison.Equal, false),
        ["StringNotEqualsIgnoreCase"] = new(ConditionFamily.StringIgnoreCase, Comparison.Equal, true),
        ["StringLike"] = new(ConditionFamily.StringLike, Comparison.Equal, false),
        ["StringNotLike"] = new(ConditionFamily.StringLike, Comparison.Equal, true),
        ["NumericEquals"] = new(ConditionFamily.Numeric, Comparison.Equal, false),
        ["NumericNotEquals"] = new(ConditionFamily.Numeric, Comparison.Equal, true),
        ["NumericLessThan"] = new(ConditionFamily.Numeric, Comparison.Less, false),
        ["NumericLessThanEquals"] = new(ConditionFamily.Numeric, Comparison.LessOrEqual, false),
        ["NumericGreaterThan"] = new(ConditionFamily.Numeric, Comparison.Greater, false),
        ["NumericGreaterThanEquals"] = new(ConditionFamily.Numeric, Comparison.GreaterOrEqual, false),
        ["DateEquals"] = new(ConditionFamily.Date, Comparison.Equal, false),
        ["DateNotEquals"] = new(ConditionFamily.Date, Comparison.Equal, true),
        ["DateLessThan"] = new(ConditionFamily.Date, Comparison.Less, false),
        ["DateLessThanEquals"] = new(ConditionFamily.Date, Comparison.LessOrEqual, false),
        ["DateGreaterThan"] = new(ConditionFamily.Date, Comparison.Greater, false),
        ["DateGreaterThanEquals"] = new(ConditionFamily.Date, Comparison.GreaterOrEqual, false),
        ["Bool"] = new(ConditionFamily.Bool, Comparison.Equal, false),
        ["BinaryEquals"] = new(ConditionFamily.Binary, Comparison.Equal, false),
        ["IpAddress"] = new(ConditionFamily.IpAddress, Comparison.Equal, false),
        ["NotIpAddress"] = new(ConditionFamily.IpAddress, Comparison.Equal, true),
        ["ArnEquals"] = new(ConditionFamily.Arn, Comparison.Equal, false),
        ["ArnLike"] = new(ConditionFamily.Arn, Comparison.Equal, false),
        ["ArnNotEquals"] = new(ConditionFamily.Arn, Comparison.Equal, true),
        ["ArnNotLike"] = new(ConditionFamily.Arn, Comparison.Equal, true),
        ["Null"] = new(ConditionFamily.Null, Comparison.Equal, false),
    };
}
