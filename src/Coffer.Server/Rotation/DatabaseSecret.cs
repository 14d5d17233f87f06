using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coffer.Core.Secrets;
using Npgsql;

namespace Coffer.Server.Rotation;

/// <summary>
/// A database secret as AWS's rotation functions expect it: a JSON SecretString with
/// <c>engine</c> (postgres), <c>host</c>, <c>username</c>, <c>password</c>, and optionally
/// <c>port</c> (5432), <c>dbname</c> (postgres), <c>ssl</c> and, for the alternating-users
/// strategy, <c>masterarn</c>. Other members are kept as they are.
/// </summary>
internal sealed class DatabaseSecret
{
    private readonly JsonObject _json;

    private DatabaseSecret(JsonObject json) => _json = json;

    public string Host => Text("host");

    public string Username => Text("username");

    public string? MasterArn => _json["masterarn"]?.GetValue<string>();

    public static DatabaseSecret Parse(SecretValue value, string what)
    {
        JsonObject? json = null;
        try
        {
            json = value.Text is null ? null : JsonNode.Parse(value.Text) as JsonObject;
        }
        catch (JsonException)
        {
            // Reported below, without the text.
        }

        if (json is null)
        {
            throw new RotationFunctionException($"The {what} secret value is not a JSON object.");
        }

        var secret = new DatabaseSecret(json);
        if (secret.OptionalText("engine") is not ("postgres" or "aurora-postgresql"))
        {
            throw new RotationFunctionException($"The {what} secret's engine must be 'postgres' to use this rotation function.");
        }

        foreach (var field in new[] { "host", "username", "password" })
        {
            if (secret.OptionalText(field) is null)
            {
                throw new RotationFunctionException($"The {what} secret's JSON has no '{field}'.");
            }
        }

        return secret;
    }

    /// <summary>The same secret with another user name and password, as JSON text for PutSecretValue.</summary>
    public string With(string username, string password)
    {
        var copy = (JsonObject)_json.DeepClone();
        copy["username"] = username;
        copy["password"] = password;
        return copy.ToJsonString();
    }

    public NpgsqlConnection Connection()
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = _json["port"] is { } port ? int.Parse(port.ToString(), CultureInfo.InvariantCulture) : 5432,
            Database = OptionalText("dbname") ?? "postgres",
            Username = Username,
            Password = Text("password"),
            Timeout = 5,
            Pooling = false,
            SslMode = OptionalText("ssl")?.ToLowerInvariant() switch
            {
                "true" => SslMode.Require,
                "false" => SslMode.Disable,
                _ => SslMode.Prefer,
            },
        };
        return new NpgsqlConnection(builder.ConnectionString);
    }

    private string Text(string name) => OptionalText(name)!;

    private string? OptionalText(string name) => _json[name] is JsonValue v ? v.ToString() : null;
}
