using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer events dead-letters list|redrive</c>, <c>coffer events signing-secret NAME</c> and
/// <c>coffer events tail [--after ID] [--follow]</c>:
/// event delivery's own operations, signed with SigV4 like every other call.
/// </summary>
internal static class EventsCommand
{
    public static Command Create()
    {
        var command = new Command("events", "Manage the delivery of change events to API destinations.");
        var deadLetters = new Command("dead-letters", "Events that a target did not take after every retry.");
        deadLetters.Subcommands.Add(List());
        deadLetters.Subcommands.Add(Redrive());
        command.Subcommands.Add(deadLetters);
        command.Subcommands.Add(SigningSecret());
        command.Subcommands.Add(Tail());
        return command;
    }

    /// <summary>Prints the account's change events, one JSON document a line, from the server's live stream.</summary>
    private static Command Tail()
    {
        var after = new Option<string?>("--after") { Description = "Start after this event id (default: from the first event kept)." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events as they happen." };
        var endpoint = CommonOptions.Url("--endpoint-url");
        var command = new Command("tail", "Print change events; with --follow, keep printing them as they happen.") { after, follow, endpoint };
        command.SetAction((parse, ct) => CommonOptions.RunAsync(async () =>
        {
            var query = "/_coffer/events/stream?follow=" + (parse.GetValue(follow) ? "true" : "false");
            if (parse.GetValue(after) is { Length: > 0 } id)
            {
                query += "&after=" + Uri.EscapeDataString(id);
            }

            using var client = new SignedClient(new Uri(parse.GetValue(endpoint)!));
            await client.StreamLinesAsync(query, "events", line =>
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    Console.WriteLine(line["data: ".Length..]);
                }
            }, ct);
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var endpoint = CommonOptions.Url("--endpoint-url");
        var command = new Command("list", "List the dead-lettered deliveries.") { endpoint };
        command.SetAction((parse, ct) => CallAsync(parse.GetValue(endpoint)!, "ListEventDeadLetters", [], ct));
        return command;
    }

    private static Command Redrive()
    {
        var ids = new Argument<long[]>("id") { Description = "Dead letters to deliver again; none means all.", Arity = ArgumentArity.ZeroOrMore };
        var endpoint = CommonOptions.Url("--endpoint-url");
        var command = new Command("redrive", "Deliver dead-lettered events again, once their target has recovered.") { ids, endpoint };
        command.SetAction((parse, ct) => CallAsync(parse.GetValue(endpoint)!, "RedriveEventDeadLetters", new JsonObject
        {
            ["Ids"] = new JsonArray([.. (parse.GetValue(ids) ?? []).Select(i => JsonValue.Create(i))]),
        }, ct));
        return command;
    }

    private static Command SigningSecret()
    {
        var name = new Argument<string>("name") { Description = "The API destination's name." };
        var endpoint = CommonOptions.Url("--endpoint-url");
        var command = new Command("signing-secret", "Print the secret that keys the X-Coffer-Signature of deliveries to an API destination.") { name, endpoint };
        command.SetAction((parse, ct) => CallAsync(parse.GetValue(endpoint)!, "GetApiDestinationSigningSecret", new JsonObject { ["Name"] = parse.GetValue(name) }, ct));
        return command;
    }

    private static Task<int> CallAsync(string endpoint, string operation, JsonObject body, CancellationToken ct) =>
        CommonOptions.RunAsync(async () =>
        {
            using var client = new SignedClient(new Uri(endpoint));
            using var response = await client.JsonAsync("coffer", "Coffer." + operation, body.ToJsonString(), ct);
            Console.WriteLine(JsonSerializer.Serialize(response.RootElement, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        });
}
