using System.Text;
using System.Text.Json;
using Amazon.SimpleSystemsManagement;

namespace Coffer.Cli.Commands;

/// <summary>
/// A stage's settings as environment variables. A parameter's name after the path, upper-cased,
/// with every character other than A-Z and 0-9 made '_', is its variable
/// (<c>/app/prod/db/password</c> under <c>/app/prod</c> is <c>DB_PASSWORD</c>); a secret's whole
/// name is mapped the same way (<c>prod/api-key</c> is <c>PROD_API_KEY</c>), or named with
/// <c>VAR=SECRET</c>. Two sources that give one variable are an error naming both.
/// </summary>
internal static class StageEnvironment
{
    /// <summary>The variables, in order, each with the source it came from (for messages: never its value).</summary>
    public static async Task<SortedDictionary<string, (string Value, string Source)>> ReadAsync(string url, string? path, IReadOnlyList<string> secrets, CancellationToken ct)
    {
        var variables = new SortedDictionary<string, (string Value, string Source)>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(path))
        {
            using var ssm = ParameterStage.Client(url);
            try
            {
                foreach (var entry in (await ParameterStage.ReadAsync(ssm, path, decrypt: true, ct)).Values)
                {
                    Add(variables, VariableName(entry.Key), entry.Value, entry.Name);
                }
            }
            catch (AmazonSimpleSystemsManagementException e)
            {
                throw new CliException($"{e.ErrorCode}: {e.Message}");
            }
        }

        using var client = new SignedClient(new Uri(url));
        foreach (var spec in secrets)
        {
            var (variable, secretId) = spec.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (spec[..eq], spec[(eq + 1)..]) : (VariableName(spec), spec);
            using var answer = await client.JsonAsync("secretsmanager", "secretsmanager.GetSecretValue", JsonSerializer.Serialize(new Dictionary<string, string> { ["SecretId"] = secretId }, EnvJson.Default.DictionaryStringString), ct);
            var root = answer.RootElement;
            var value = root.TryGetProperty("SecretString", out var s) ? s.GetString()! : root.GetProperty("SecretBinary").GetString()!;
            Add(variables, variable, value, $"secret {secretId}");
        }

        return variables;
    }

    /// <summary>A name made a variable: upper case, A-Z, 0-9 and '_' only, not starting with a digit.</summary>
    public static string VariableName(string name)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var c in name.Trim('/'))
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }

    private static void Add(SortedDictionary<string, (string Value, string Source)> variables, string variable, string value, string source)
    {
        if (variables.TryGetValue(variable, out var existing))
        {
            throw new CliException($"Both {existing.Source} and {source} would set {variable}; rename one, or name the secret's variable with --secret VAR=NAME.");
        }

        variables[variable] = (value, source);
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(SortedDictionary<string, string>))]
internal sealed partial class EnvJson : System.Text.Json.Serialization.JsonSerializerContext;
