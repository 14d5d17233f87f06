using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Coffer.Agent;

/// <summary>
/// One read the agent serves, parsed from the paths of AWS's extension and agent:
/// <c>/systemsmanager/parameters/get?name=&amp;version=|label=&amp;withDecryption=</c>,
/// <c>/secretsmanager/get?secretId=&amp;versionId=&amp;versionStage=</c> and <c>/v1/SECRET_ID?...</c>,
/// each with an optional <c>refreshNow</c>. <see cref="Key"/> names its cache entry; <see cref="Body"/>
/// is the GetParameter or GetSecretValue request it becomes.
/// </summary>
public sealed record AgentRequest(RequestKind Kind, string Name, string Key, bool RefreshNow)
{
    private Action<Utf8JsonWriter> _members = _ => { };

    public const string ParameterPath = "/systemsmanager/parameters/get";
    public const string SecretPath = "/secretsmanager/get";
    public const string SecretPathPrefix = "/v1/";

    /// <summary>The request, or the 400 message for a malformed one; null when the path is none of the agent's.</summary>
    public static AgentRequest? TryParse(string path, IQueryCollection query, out string? error)
    {
        error = null;
        if (path == ParameterPath)
        {
            return Parameter(query, out error);
        }

        if (path == SecretPath)
        {
            return Secret(query.TryGetValue("secretId", out var id) ? id.ToString() : "", query, "secretId", out error);
        }

        if (path.StartsWith(SecretPathPrefix, StringComparison.Ordinal))
        {
            return Secret(Uri.UnescapeDataString(path[SecretPathPrefix.Length..]), query, null, out error);
        }

        return null;
    }

    private static AgentRequest? Parameter(IQueryCollection query, out string? error)
    {
        if (Unknown(query, ["name", "version", "label", "withDecryption", "refreshNow"]) is { } unknown)
        {
            error = "unknown parameter: " + unknown;
            return null;
        }

        var name = query["name"].ToString();
        var version = query["version"].ToString();
        var label = query["label"].ToString();
        error = name.Length == 0 ? "missing parameter name"
            : version.Length > 0 && label.Length > 0 ? "give either version or label, not both"
            : null;
        if (error is not null || !Flag(query, "withDecryption", out var decrypt, ref error) || !Flag(query, "refreshNow", out var refresh, ref error))
        {
            return null;
        }

        // AWS's selector syntax: name:version or name:label.
        var selected = version.Length > 0 ? name + ":" + version : label.Length > 0 ? name + ":" + label : name;
        return new AgentRequest(RequestKind.Parameter, name, $"p\n{selected}\n{(decrypt ? 1 : 0)}", refresh)
        {
            _members = w =>
            {
                w.WriteString("Name", selected);
                w.WriteBoolean("WithDecryption", decrypt);
            },
        };
    }

    private static AgentRequest? Secret(string secretId, IQueryCollection query, string? idParameter, out string? error)
    {
        string[] known = idParameter is null ? ["versionId", "versionStage", "refreshNow"] : [idParameter, "versionId", "versionStage", "refreshNow"];
        if (Unknown(query, known) is { } unknown)
        {
            error = "unknown parameter: " + unknown;
            return null;
        }

        error = secretId.Length == 0 ? (idParameter is null ? "missing secret ID" : "missing parameter secretId") : null;
        if (error is not null || !Flag(query, "refreshNow", out var refresh, ref error))
        {
            return null;
        }

        var versionId = query["versionId"].ToString();
        var stage = query["versionStage"].ToString();
        return new AgentRequest(RequestKind.Secret, secretId, $"s\n{secretId}\n{versionId}\n{stage}", refresh) { _members = w =>
        {
            w.WriteString("SecretId", secretId);
            if (versionId.Length > 0)
            {
                w.WriteString("VersionId", versionId);
            }

            if (stage.Length > 0)
            {
                w.WriteString("VersionStage", stage);
            }
        },
        };
    }

    private static string? Unknown(IQueryCollection query, string[] known) =>
        query.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.Ordinal));

    /// <summary>true, false, 1 or 0 in any case, as AWS's agent takes them.</summary>
    private static bool Flag(IQueryCollection query, string name, out bool value, ref string? error)
    {
        value = false;
        var text = query[name].ToString();
        switch (text.ToLowerInvariant())
        {
            case "":
            case "false":
            case "0":
                return true;
            case "true":
            case "1":
                value = true;
                return true;
            default:
                error = $"invalid {name} value";
                return false;
        }
    }

    /// <summary>The GetParameter or GetSecretValue request body; built only when Coffer is called.</summary>
    public byte[] Body()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            _members(w);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
