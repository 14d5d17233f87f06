using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Coffer.Server.Aws.Protocol;

/// <summary>
/// One AWS service's botocore model (<c>Aws/Models/NAME.json.gz</c>): its operations and shapes,
/// compiled once at start into what validation, error mapping and redaction need.
/// </summary>
public sealed class ServiceModel
{
    private readonly Dictionary<string, Shape> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OperationModel> _operations = new(StringComparer.Ordinal);

    private ServiceModel(JsonElement root)
    {
        var metadata = root.GetProperty("metadata");
        Protocol = metadata.GetProperty("protocol").GetString()!;
        TargetPrefix = metadata.TryGetProperty("targetPrefix", out var t) ? t.GetString() : null;
        SigningName = metadata.TryGetProperty("signingName", out var sn) ? sn.GetString()! : metadata.GetProperty("endpointPrefix").GetString()!;
        ApiVersion = metadata.GetProperty("apiVersion").GetString()!;

        var shapes = root.GetProperty("shapes");
        foreach (var s in shapes.EnumerateObject())
        {
            _shapes[s.Name] = new Shape(s.Name, s.Value);
        }

        foreach (var s in shapes.EnumerateObject())
        {
            _shapes[s.Name].Link(s.Value, _shapes);
        }

        foreach (var op in root.GetProperty("operations").EnumerateObject())
        {
            var input = op.Value.TryGetProperty("input", out var i) ? _shapes[i.GetProperty("shape").GetString()!] : null;
            var output = op.Value.TryGetProperty("output", out var o) ? _shapes[o.GetProperty("shape").GetString()!] : null;
            _operations[op.Name] = new OperationModel(op.Name, input, output);
        }
    }

    public string Protocol { get; }

    public string? TargetPrefix { get; }

    public string SigningName { get; }

    public string ApiVersion { get; }

    /// <summary>Loads an embedded model: AWS's as <c>NAME.json.gz</c> (botocore's files), Coffer's own as <c>NAME.json</c>.</summary>
    public static ServiceModel Load(string name)
    {
        var assembly = typeof(ServiceModel).Assembly;
        if (assembly.GetManifestResourceStream($"Models/{name}.json.gz") is { } compressed)
        {
            using (compressed)
            using (var gzip = new GZipStream(compressed, CompressionMode.Decompress))
            using (var doc = JsonDocument.Parse(gzip))
            {
                return new ServiceModel(doc.RootElement);
            }
        }

        using var plain = assembly.GetManifestResourceStream($"Models/{name}.json")
            ?? throw new InvalidOperationException($"No embedded model named {name}.");
        using var plainDoc = JsonDocument.Parse(plain);
        return new ServiceModel(plainDoc.RootElement);
    }

    public OperationModel? FindOperation(string name) => _operations.GetValueOrDefault(name);

    public Shape? FindShape(string name) => _shapes.GetValueOrDefault(name);

    /// <summary>The HTTP status and wire code of an error, as the model declares it.</summary>
    public (int Status, string Code) Error(string code)
    {
        if (_shapes.TryGetValue(code, out var shape) && shape.IsError)
        {
            return (shape.ErrorStatus ?? (shape.IsFault ? 500 : 400), shape.ErrorCode ?? code);
        }

        // Errors such as IAM's NoSuchEntity are named by their wire code in messages; find the shape by code.
        foreach (var s in _shapes.Values)
        {
            if (s.IsError && s.ErrorCode == code)
            {
                return (s.ErrorStatus ?? 400, code);
            }
        }

        return (CommonErrorStatus(code), code);
    }

    /// <summary>Statuses of the errors every AWS service shares, which the models do not list. Core's
    /// codes by their constants; the others are wire names only the adapters write.</summary>
    public static int CommonErrorStatus(string code) => code switch
    {
        Core.ErrorCodes.MissingAuthenticationToken or "MissingAuthenticationToken" or "InvalidClientTokenId" or "SignatureDoesNotMatch" => 403,
        "AccessDenied" => 403,
        "RequestEntityTooLargeException" => 413,
        Core.ErrorCodes.InternalFailure or "InternalServerError" or "KMSInternalException" or "InternalServiceError" => 500,
        Core.ErrorCodes.ServiceUnavailable or "ServiceUnavailableException" => 503,
        _ => 400,
    };
}

public sealed record OperationModel(string Name, Shape? Input, Shape? Output);

/// <summary>A shape and its constraints; members, list items and map values are linked to their shapes.</summary>
public sealed class Shape
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(200);

    internal Shape(string name, JsonElement json)
    {
        Name = name;
        Type = json.GetProperty("type").GetString()!;
        if (json.TryGetProperty("min", out var min))
        {
            Min = min.GetDouble();
        }

        if (json.TryGetProperty("max", out var max))
        {
            Max = max.GetDouble();
        }

        if (json.TryGetProperty("pattern", out var pattern))
        {
            PatternText = pattern.GetString();
        }

        if (json.TryGetProperty("enum", out var values))
        {
            Enum = [.. values.EnumerateArray().Select(v => v.GetString()!)];
        }

        Sensitive = json.TryGetProperty("sensitive", out var s) && s.GetBoolean();
        IsError = json.TryGetProperty("exception", out var e) && e.GetBoolean();
        IsFault = json.TryGetProperty("fault", out var f) && f.GetBoolean();
        if (json.TryGetProperty("error", out var error))
        {
            ErrorCode = error.TryGetProperty("code", out var c) ? c.GetString() : null;
            ErrorStatus = error.TryGetProperty("httpStatusCode", out var st) ? st.GetInt32() : null;
        }

        Required = json.TryGetProperty("required", out var req) ? [.. req.EnumerateArray().Select(r => r.GetString()!)] : [];
    }

    public string Name { get; }

    /// <summary>structure, list, map, string, integer, long, double, float, boolean, blob, timestamp.</summary>
    public string Type { get; }

    public double? Min { get; }

    public double? Max { get; }

    public string? PatternText { get; }

    public IReadOnlyList<string>? Enum { get; }

    public bool Sensitive { get; }

    public bool IsError { get; }

    public bool IsFault { get; }

    public string? ErrorCode { get; }

    public int? ErrorStatus { get; }

    public IReadOnlyList<string> Required { get; }

    public IReadOnlyDictionary<string, Member> Members { get; private set; } = new Dictionary<string, Member>();

    public Shape? ListMember { get; private set; }

    public Shape? MapKey { get; private set; }

    public Shape? MapValue { get; private set; }

    /// <summary>The pattern, anchored as AWS applies it (the whole value must match); null when .NET cannot compile it.</summary>
    public Regex? Pattern => _pattern.Value;

    private Lazy<Regex?> _pattern = new(() => null);

    internal void Link(JsonElement json, Dictionary<string, Shape> shapes)
    {
        if (json.TryGetProperty("members", out var members))
        {
            var map = new Dictionary<string, Member>(StringComparer.Ordinal);
            foreach (var m in members.EnumerateObject())
            {
                var target = shapes[m.Value.GetProperty("shape").GetString()!];
                var location = m.Value.TryGetProperty("locationName", out var ln) ? ln.GetString() : null;
                map[m.Name] = new Member(m.Name, target, location);
            }

            Members = map;
        }

        if (json.TryGetProperty("member", out var listMember))
        {
            ListMember = shapes[listMember.GetProperty("shape").GetString()!];
        }

        if (json.TryGetProperty("key", out var key))
        {
            MapKey = shapes[key.GetProperty("shape").GetString()!];
        }

        if (json.TryGetProperty("value", out var value))
        {
            MapValue = shapes[value.GetProperty("shape").GetString()!];
        }

        var text = PatternText;
        _pattern = new Lazy<Regex?>(() =>
        {
            if (text is null)
            {
                return null;
            }

            try
            {
                return new Regex("^(?:" + text + ")$", RegexOptions.CultureInvariant, PatternTimeout);
            }
            catch (ArgumentException)
            {
                return null;
            }
        });
    }

    public override string ToString() => Name;
}

public sealed record Member(string Name, Shape Shape, string? LocationName);
