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
/// until caught up), resumable after an event id, given as <c>after</c> or, as server-sent events
/// reconnect, in the <c>Last-Event-ID</c> header. With <c>from=now</c> and no resume point, the
/// events kept are skipped: the first message is then an <c>id:</c> alone, the position to resume after.
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
            who = await verifier.VerifyAsync(context.Request, ReadOnlyMemory<byte>.Empty, context.RequestAborted);
        }
        catch (CofferException e)
        {
            await ErrorAsync(context, 403, e);
            return;
        }

        var query = context.Request.Query;
        var after = query["after"].FirstOrDefault() ?? (context.Request.Headers["Last-Event-ID"].FirstOrDefault() is { Length: > 0 } last ? last : null);
        var follow = query["follow"].FirstOrDefault() != "false";
        var from = query["from"].FirstOrDefault();
        if (from is not (null or "now"))
        {
            await ErrorAsync(context, 400, EventErrors.Validation("from must be 'now' (or left out: from the start)."));
            return;
        }

        var fromNow = from == "now" && after is null;
        var request = new CallRequest(who.Principal, who.Region, "events.amazonaws.com", "StreamEvents", origin);
        var opened = await services.Pipeline.RunAsync(
            request,
            async (call, ct) => fromNow ? await services.Rules.OpenStreamFromNowAsync(call, ct) : (await services.Rules.OpenStreamAsync(call, after, ct), null),
            context.RequestAborted);
        if (!opened.Succeeded)
        {
            await ErrorAsync(context, opened.Error!.Code == ErrorCodes.AccessDenied ? 403 : 400, opened.Error);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var (sequence, position) = opened.Value;
        if (position is not null)
        {
            // An id with no data: in server-sent events it moves the reader's last event id and dispatches nothing.
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"id: {position}\n\n"), context.RequestAborted);
        }

        await context.Response.Body.FlushAsync(context.RequestAborted);
        try
        {
            while (!context.RequestAborted.IsCancellationRequested)
            {
                var (events, next) = await services.Rules.ReadStreamAsync(who.Principal.AccountId, sequence, Batch, context.RequestAborted);
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
