using Coffer.Server.Aws.Protocol;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Hosting;

/// <summary>
/// The one terminal middleware: reads the body (bounded), refuses everything while sealed, and
/// hands AWS calls to the adapter for their wire format. No routing table, no MVC: a request is a
/// few plain method calls from Kestrel to the domain.
/// </summary>
public sealed class RequestPipeline(CofferServices services, JsonProtocol json, QueryProtocol query, AdminEndpoints admin, Throttle throttle, int maxBodyBytes, Console.ConsoleEndpoints? console = null)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (console is not null && Console.ConsoleEndpoints.Handles(context.Request.Path))
        {
            if (context.Request.Path.StartsWithSegments(Console.ConsoleEndpoints.ApiPath) && !await CaughtUpAsync(context))
            {
                return;
            }

            await console.HandleAsync(context);
            return;
        }

        if (context.Request.Path.StartsWithSegments("/_coffer"))
        {
            // Health probes use no cache and must answer while the database is away.
            if (!context.Request.Path.StartsWithSegments("/_coffer/health") && !await CaughtUpAsync(context))
            {
                return;
            }

            await admin.HandleAsync(context);
            return;
        }

        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        var info = RequestInfo.From(context, requestId, services.Time.GetUtcNow());

        // Before the body is read: a flood costs as little as it can (issue 8).
        if (!throttle.TryAcquireAddress(context.Connection.RemoteIpAddress) || !throttle.TryAcquireClaimedKey(context.Request))
        {
            await Throttle.WriteErrorAsync(context, QueryProtocol.Accepts(context.Request), requestId);
            return;
        }

        var body = await ReadBodyAsync(context.Request, maxBodyBytes);
        if (body is null)
        {
            await AwsErrorWriter.WriteJsonAsync(context, 413, "RequestEntityTooLargeException", $"The request body is larger than the {maxBodyBytes} bytes Coffer accepts.");
            return;
        }

        if (services.Keyring.IsSealed)
        {
            await AwsErrorWriter.WriteJsonAsync(context, 503, "ServiceUnavailableException", new Core.Crypto.SealedException().Message);
            return;
        }

        if (!await CaughtUpAsync(context))
        {
            return;
        }

        if (QueryProtocol.Accepts(context.Request))
        {
            await query.HandleAsync(context, body, info);
            return;
        }

        var target = context.Request.Headers["X-Amz-Target"] is { Count: > 0 } targets ? targets[0] : null;
        if (target is not null && HttpMethods.IsPost(context.Request.Method))
        {
            await json.HandleAsync(context, target, body, info);
            return;
        }

        await AwsErrorWriter.WriteJsonAsync(context, 400, "UnknownOperationException", "Coffer speaks the AWS JSON 1.1 protocol (POST / with an X-Amz-Target header) and, for IAM and STS, the AWS query protocol (form-encoded POST /).");
    }

    /// <summary>
    /// Brings this node's caches up to every change committed through any node before the request
    /// (<see cref="Core.Storage.GenerationCheck"/>; a no-op on SQLite). False, with a retryable 503
    /// written, when the store cannot be reached.
    /// </summary>
    private async Task<bool> CaughtUpAsync(HttpContext context)
    {
        try
        {
            await services.Changes.CatchUpAsync(context.RequestAborted);
            return true;
        }
        catch (Core.CofferException e) when (e.Code == Core.ErrorCodes.ServiceUnavailable)
        {
            await AwsErrorWriter.WriteJsonAsync(context, 503, "ServiceUnavailableException", e.Message);
            return false;
        }
    }

    /// <summary>The whole body, or null if it is larger than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        if (request.ContentLength is { } declared)
        {
            // The common case: read exactly what was announced, into one array.
            var body = new byte[declared];
            await request.Body.ReadExactlyAsync(body, request.HttpContext.RequestAborted);
            return body;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk.AsSpan(0, read));
        }

        return buffer.ToArray();
    }
}
