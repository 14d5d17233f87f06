using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coffer.Core.Events;

/// <summary>
/// An EventBridge event pattern, compiled once: fields to match (all must), each a list of
/// conditions (any may) or a nested pattern, and <c>$or</c> alternatives. Conditions are exact
/// values, <c>prefix</c>, <c>suffix</c>, <c>equals-ignore-case</c>, <c>wildcard</c>,
/// <c>anything-but</c>, <c>numeric</c>, <c>exists</c> and <c>cidr</c>, as AWS documents them.
/// An array in the event matches when any of its elements does.
/// </summary>
public sealed partial class EventPattern
{
    public const int MaxLength = 4096;

    private readonly List<(string Key, EventPattern? Nested, List<Condition>? Conditions)> _fields = [];
    private readonly List<EventPattern> _alternatives = [];

    private EventPattern()
    {
    }

    /// <summary>Parses a pattern; an invalid one is an <c>InvalidEventPatternException</c>.</summary>
    public static EventPattern Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            throw EventErrors.InvalidPattern("the pattern is not valid JSON.");
        }

        if (root is not JsonObject obj || obj.Count == 0)
        {
            throw EventErrors.InvalidPattern("the pattern must be a non-empty JSON object.");
        }

        return Compile(obj, "");
    }

    /// <summary>Whether an event (JSON text) matches; invalid event JSON is a validation error.</summary>
    public bool Matches(string eventJson)
    {
        JsonNode? e;
        try
        {
            e = JsonNode.Parse(eventJson);
        }
        catch (JsonException)
        {
            throw EventErrors.Validation("Parameter Event is not valid.");
        }

        return e is JsonObject obj && Matches(obj);
    }

    public bool Matches(JsonObject e)
    {
        foreach (var (key, nested, conditions) in _fields)
        {
            var present = e.TryGetPropertyValue(key, out var value);
            if (nested is not null)
            {
                if (!MatchesNested(nested, present ? value : new JsonObject()))
                {
                    return false;
                }
            }
            else if (!MatchesLeaf(conditions!, present, value))
            {
                return false;
            }
        }

        return _alternatives.Count == 0 || _alternatives.Exists(a => a.Matches(e));
    }

    private static bool MatchesNested(EventPattern nested, JsonNode? value) => value switch
    {
        JsonObject o => nested.Matches(o),
        JsonArray a => a.Any(item => item is JsonObject o && nested.Matches(o)),
        _ => false,
    };

    private static bool MatchesLeaf(List<Condition> conditions, bool present, JsonNode? value)
    {
        if (!present)
        {
            return conditions.Exists(c => c is Exists { Expected: false });
        }

        if (value is JsonArray array)
        {
            return conditions.Exists(c => c is Exists { Expected: true }) || array.Any(item => conditions.Exists(c => c.Matches(item)));
        }

        return conditions.Exists(c => c.Matches(value));
    }

    private static EventPattern Compile(JsonObject obj, string path)
    {
        var pattern = new EventPattern();
        foreach (var (key, value) in obj)
        {
            var where = path.Length == 0 ? key : path + "." + key;
            if (key == "$or")
            {
                if (value is not JsonArray alternatives || alternatives.Count < 2 || alternatives.Any(a => a is not JsonObject { Count: > 0 }))
                {
                    throw EventErrors.InvalidPattern($"$or at {where} must be an array of at least two non-empty objects.");
                }

                pattern._alternatives.AddRange(alternatives.Select(a => Compile((JsonObject)a!, path)));
                continue;
            }

            switch (value)
            {
                case JsonObject nested when nested.Count > 0:
                    pattern._fields.Add((key, Compile(nested, where), null));
                    break;
                case JsonArray leaf when leaf.Count > 0:
                    pattern._fields.Add((key, null, [.. leaf.Select(c => Condition.Parse(c, where))]));
                    break;
                default:
                    throw EventErrors.InvalidPattern($"match value at {where} must be a non-empty array or object.");
            }
        }

        return pattern;
    }
}
