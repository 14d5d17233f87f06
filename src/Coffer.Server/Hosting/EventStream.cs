using System.Text;
using System.Text.Json;
using Coffer.Core;
using Coffer.Core.Events;
using Coffer.Core.Pipeline;
using Coffer.Server.Auth;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Hosting;

/// <summary>
/// <c>GET /_coffer/events/stream?after=EVENT_ID</c>: the account's change events as server-sent
/// events (<c>id:</c> is the event id, <c>data:</c> its JSON), live (or, with <c>follow=false</c>,
/// until caught up), resumable after an event id.
/// SigV4-signed for the service <c>events</c>; authorized as <c>coffer:StreamEvents</c>; audited.
/// </summary>
public sealed class EventStream(CofferServices services, SigV4Verifier verifier, TimeSpan pollInterval)
{
    public const string Path = "/_coffer/events/stream";
    private const int Batch = 100;

    public async Task HandleAsync(HttpContext context, RequestOrigin origin)
    {
        Authenticated who;
        try
        {
            who = verifier.Verify(context.Request, []);
        }
        catch (CofferException e)
        {
            await ErrorAsync(context, 403, e);
            return;
        }

        var after = context.Request.Query["after"].FirstOrDefault();
        var follow = context.Request.Query["follow"].FirstOrDefault() != "false";
        var request = new CallRequest(who.Principal, who.Region, "events.amazonaws.com", "StreamEvents", origin);
        var opened = await services.Pipeline.RunAsync(request, (call, _) => Task.FromResult(services.Rules.OpenStream(call, after)), context.RequestAborted);
        if (!opened.Succeeded)
        {
            await ErrorAsync(context, opened.Error!.Code == ErrorCodes.AccessDenied ? 403 : 400, opened.Error);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.FlushAsync(context.RequestAborted);
        var sequence = opened.Value;
        try
        {
            while (!context.RequestAborted.IsCancellationRequested)
            {
                var (events, next) = services.Rules.ReadStream(who.Principal.AccountId, sequence, Batch);
                foreach (var e in events)
                {
                    var line = $"id: {e.Id}\nevent: change\ndata: {JsonSerializer.Serialize(e, EventJson.Default.CofferEvent)}\n\n";
                    await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), context.RequestAborted);
                }

                if (events.Count > 0)
                {
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }

                if (next == sequence && !follow)
                {
                    return;
                }

                if (next == sequence)
                {
                    await Task.Delay(pollInterval, context.RequestAborted);
                }

                sequence = next;
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }

    private static async Task ErrorAsync(HttpContext context, int status, CofferException e)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = e.Code, ["message"] = e.Message }, StreamJson.Default.DictionaryStringString));
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class StreamJson : System.Text.Json.Serialization.JsonSerializerContext;
