using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

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

    private static Option<string> Endpoint() => CommonOptions.Url("--endpoint-url");

    /// <summary>Sends one Coffer operation and prints its answer as JSON; returns 1 with AWS's error on failure.</summary>
    private static Task<int> CallAsync(string endpoint, string operation, JsonObject body, CancellationToken ct) =>
        CommonOptions.RunAsync(async () =>
        {
            foreach (var key in body.Where(p => p.Value is null).Select(p => p.Key).ToList())
            {
                body.Remove(key);
            }

            using var client = new SignedClient(new Uri(endpoint));
            using var response = await client.JsonAsync("coffer", "Coffer." + operation, body.ToJsonString(), ct);
            Console.WriteLine(JsonSerializer.Serialize(response.RootElement, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return 0;
        });
}
