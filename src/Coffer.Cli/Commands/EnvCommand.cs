using System.CommandLine;
using System.Text;
using System.Text.Json;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer env</c>: a stage's environment for people. <c>export</c> prints it (dotenv or JSON);
/// <c>encrypt</c> turns a .env into KMS ciphertexts bound to a function, as AWS's Lambda console
/// helper does, for a function to decrypt at cold start.
/// </summary>
internal static class EnvCommand
{
    /// <summary>The encryption context key of AWS's Lambda console helper.</summary>
    public const string FunctionContextKey = "LambdaFunctionName";

    public static Command Create() => new("env", "Print a stage's environment, or encrypt a .env for a function.")
    {
        Export(),
        Encrypt(),
    };

    private static Command Export()
    {
        var path = new Option<string>("--path") { Description = "The stage's path, such as /app/prod." };
        var secrets = new Option<string[]>("--secret") { Description = "A secret to add, as NAME or VAR=NAME (repeatable)." };
        var format = new Option<string>("--format") { Description = "dotenv (default) or json.", DefaultValueFactory = _ => "dotenv" };
        format.AcceptOnlyFromAmong("dotenv", "json");
        var url = CommonOptions.Url();
        var command = new Command("export", "Print the variables `coffer exec` would set (values included: for people, not for logs).") { path, secrets, format, url };
        command.SetAction((parse, ct) => CommonOptions.RunAsync(async () =>
        {
            var variables = await StageEnvironment.ReadAsync(parse.GetValue(url)!, parse.GetValue(path), parse.GetValue(secrets) ?? [], ct);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(format) == "json")
            {
                var values = new SortedDictionary<string, string>(variables.ToDictionary(v => v.Key, v => v.Value.Value), StringComparer.Ordinal);
                await output.WriteLineAsync(JsonSerializer.Serialize(values, new EnvJson(new JsonSerializerOptions { WriteIndented = true }).SortedDictionaryStringString));
            }
            else
            {
                foreach (var (name, (value, _)) in variables)
                {
                    await output.WriteLineAsync($"{name}={Quote(value)}");
                }
            }

            return 0;
        }));
        return command;
    }

    private static Command Encrypt()
    {
        var key = new Option<string>("--key") { Description = "The KMS key: id, ARN or alias (alias/app-prod).", Required = true };
        var function = new Option<string>("--function") { Description = "The function the values are for: the encryption context is {\"LambdaFunctionName\": NAME}.", Required = true };
        var url = CommonOptions.Url();
        var command = new Command("encrypt", "Read a .env on stdin; print each variable as a base64 KMS ciphertext bound to the function.") { key, function, url };
        command.SetAction((parse, ct) => CommonOptions.RunAsync(async () =>
        {
            var region = FallbackRegionFactory.GetRegionEndpoint()?.SystemName ?? "us-east-1";
            using var kms = new AmazonKeyManagementServiceClient(new AmazonKeyManagementServiceConfig { ServiceURL = parse.GetValue(url)!, AuthenticationRegion = region, HttpClientFactory = new CofferHttp.Factory() });
            var context = new Dictionary<string, string> { [FunctionContextKey] = parse.GetValue(function)! };
            var lineNumber = 0;
            while (await Console.In.ReadLineAsync(ct) is { } line)
            {
                lineNumber++;
                if (ParseLine(line, lineNumber) is not var (name, value))
                {
                    continue;
                }

                try
                {
                    using var plaintext = new MemoryStream(Encoding.UTF8.GetBytes(value));
                    var answer = await kms.EncryptAsync(new EncryptRequest { KeyId = parse.GetValue(key)!, Plaintext = plaintext, EncryptionContext = context }, ct);
                    await parse.InvocationConfiguration.Output.WriteLineAsync($"{name}={Convert.ToBase64String(answer.CiphertextBlob.ToArray())}");
                }
                catch (AmazonKeyManagementServiceException e)
                {
                    throw new CliException($"{name}: {e.ErrorCode}: {e.Message}");
                }
            }

            return 0;
        }));
        return command;
    }

    /// <summary>One .env line: <c>NAME=value</c>, perhaps after <c>export </c>, perhaps quoted; blank lines and # comments give nothing.</summary>
    internal static (string Name, string Value)? ParseLine(string line, int lineNumber)
    {
        var text = line.Trim();
        if (text.Length == 0 || text[0] == '#')
        {
            return null;
        }

        text = text.StartsWith("export ", StringComparison.Ordinal) ? text[7..].TrimStart() : text;
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new CliException($"Line {lineNumber} is not NAME=value.");
        }

        var value = text[(eq + 1)..];
        if (value.Length >= 2 && value[0] == value[^1] && value[0] is '"' or '\'')
        {
            value = value[0] == '"' ? value[1..^1].Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal) : value[1..^1];
        }

        return (text[..eq].Trim(), value);
    }

    /// <summary>A value as dotenv writes it: bare when plain, else double-quoted with \\, \", \n and \$ escaped.</summary>
    internal static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "_-./:@+,".Contains(c, StringComparison.Ordinal))
            ? value
            : "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("$", "\\$", StringComparison.Ordinal) + "\"";
}
