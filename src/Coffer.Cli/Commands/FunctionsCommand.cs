using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coffer.Server.Auth;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer functions register|list|delete</c>: Coffer's function registry (rotation functions
/// served over HTTP), through Coffer's own API, signed with SigV4 like any AWS call, with the
/// credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
/// </summary>
internal static class FunctionsCommand
{
    public static Command Create()
    {
        var command = new Command("functions", "Manage the functions Coffer can invoke, such as Secrets Manager rotation functions.");
        command.Subcommands.Add(Register());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Delete());
        return command;
    }

    private static Command Register()
    {
        var name = new Argument<string>("name") { Description = "The function's name: its ARN is arn:aws:lambda:REGION:ACCOUNT:function:NAME." };
        var url = new Option<string>("--url") { Description = "The HTTP endpoint that receives the Lambda event as a JSON POST.", Required = true };
        var timeout = new Option<int?>("--timeout") { Description = "Seconds the function has for one invocation (default 30)." };
        var description = new Option<string?>("--description");
        var endpoint = Endpoint();
        var command = new Command("register", "Register (or re-register) an HTTP endpoint as a function.") { name, url, timeout, description, endpoint };
        command.SetAction((parse, ct) => CallAsync(parse.GetValue(endpoint)!, "RegisterFunction", new JsonObject
        {
            ["FunctionName"] = parse.GetValue(name),
            ["Url"] = parse.GetValue(url),
            ["TimeoutSeconds"] = parse.GetValue(timeout),
            ["Description"] = parse.GetValue(description),
        }, ct));
        return command;
    }

    private static Command List()
    {
        var endpoint = Endpoint();
        var command = new Command("list", "List the functions: the built-in ones and those registered.") { endpoint };
        command.SetAction((parse, ct) => CallAsync(parse.GetValue(endpoint)!, "ListFunctions", [], ct));
        return command;
    }

    private static Command Delete()
    {
        var name = new Argument<string>("name");
        var endpoint = Endpoint();
        var command = new Command("delete", "Delete a registered function.") { name, endpoint };
        command.SetAction((parse, ct) => CallAsync(parse.GetValue(endpoint)!, "DeleteFunction", new JsonObject { ["FunctionName"] = parse.GetValue(name) }, ct));
        return command;
    }

    /// <summary>The server: --endpoint-url, else $COFFER_URL, else $AWS_ENDPOINT_URL, else the default address.</summary>
    private static Option<string> Endpoint() => new("--endpoint-url")
    {
        Description = "The Coffer server (default: $COFFER_URL, else $AWS_ENDPOINT_URL, else http://127.0.0.1:4599).",
        DefaultValueFactory = _ => new[] { "COFFER_URL", "AWS_ENDPOINT_URL" }.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "http://127.0.0.1:4599",
    };

    /// <summary>Sends one Coffer operation and prints its answer as JSON; returns 1 with AWS's error on failure.</summary>
    private static async Task<int> CallAsync(string endpoint, string operation, JsonObject body, CancellationToken ct)
    {
        var accessKey = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secretKey = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
        {
            await Console.Error.WriteLineAsync("Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials).");
            return 1;
        }

        var region = new[] { "AWS_REGION", "AWS_DEFAULT_REGION" }.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "us-east-1";
        foreach (var key in body.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            body.Remove(key);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(endpoint), "/"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Content.Headers.ContentType!.CharSet = null;
        request.Headers.Add("X-Amz-Target", "Coffer." + operation);
        await SigV4Signer.SignAsync(request, accessKey, secretKey, Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN") is { Length: > 0 } token ? token : null, region, "coffer", DateTimeOffset.UtcNow);
        using var http = new HttpClient();
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            using var error = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            var code = error.RootElement.TryGetProperty("__type", out var t) ? t.GetString() : $"HTTP {(int)response.StatusCode}";
            var message = error.RootElement.TryGetProperty("message", out var m) ? m.GetString() : text;
            await Console.Error.WriteLineAsync($"An error occurred ({code}) when calling the {operation} operation: {message}");
            return 1;
        }

        Console.WriteLine(JsonNode.Parse(text)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "{}");
        return 0;
    }
}
