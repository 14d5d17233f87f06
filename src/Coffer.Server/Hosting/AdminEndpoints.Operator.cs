using System.Net;
using Coffer.Core;
using Coffer.Core.Access;
using Coffer.Core.Pipeline;
using Coffer.Server.Auth;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Hosting;

public sealed partial class AdminEndpoints
{
    /// <summary>
    /// Whether an operator endpoint (metrics, status) may answer: to a caller on loopback that did
    /// not come through a proxy (when <see cref="CofferServerOptions.MetricsFromLoopback"/> allows),
    /// else to a request SigV4-signed for the service <c>coffer</c> by a principal allowed
    /// <paramref name="action"/>; that call goes through the pipeline, so it is audited. Metrics name
    /// services, operations and outcomes, never a resource, but their rates still tell an attacker
    /// what runs here and when: they are not public. Refusals are answered here.
    /// </summary>
    public async Task<bool> AuthorizeOperatorAsync(HttpContext context, string action)
    {
        if (IsFromWebPage(context.Request))
        {
            await WriteRefusedAsync(context, ErrorCodes.AccessDenied, "The /_coffer/ endpoints do not answer requests made by web pages.");
            return false;
        }

        if (options.MetricsFromLoopback && IsDirectLoopback(context) && !context.Request.Headers.ContainsKey("Authorization"))
        {
            return true;
        }

        Authenticated auth;
        try
        {
            auth = await verifier.VerifyAsync(context.Request, ReadOnlyMemory<byte>.Empty, context.RequestAborted);
        }
        catch (CofferException e)
        {
            await WriteRefusedAsync(context, e.Code, e.Message);
            return false;
        }
        catch (Core.Crypto.SealedException e)
        {
            await WriteAsync(context, 503, w =>
            {
                w.WriteString("__type", "ServiceUnavailableException");
                w.WriteString("message", e.Message);
            });
            return false;
        }

        if (auth.Service != SigningService)
        {
            await WriteRefusedAsync(context, ErrorCodes.InvalidSignature, $"Credential should be scoped to correct service: '{SigningService}'. ");
            return false;
        }

        var origin = RequestInfo.From(context, Guid.NewGuid().ToString(), services.Time.GetUtcNow()).Origin;
        context.Response.Headers["x-amzn-RequestId"] = origin.RequestId;
        var eventName = action[(action.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var request = new CallRequest(auth.Principal, auth.Region, "coffer.amazonaws.com", eventName, origin);
        var outcome = await services.Pipeline.RunAsync(
            request,
            async (call, ct) =>
            {
                await services.Authorizer.AuthorizeAsync(call, new AccessRequest(action, "*"), cancellationToken: ct);
                return true;
            },
            context.RequestAborted);
        if (outcome.Error is { } error)
        {
            await WriteRefusedAsync(context, error.Code, error.Message);
            return false;
        }

        return true;
    }

    /// <summary>On loopback, not forwarded (a proxy on the same host would make every caller look
    /// local), and naming this server by an address or localhost (a rebound page would too).</summary>
    private static bool IsDirectLoopback(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } remote
        && IPAddress.IsLoopback(remote)
        && HostNames.IsAddressOrLocalhost(context.Request.Host.Host)
        && !context.Request.Headers.ContainsKey("X-Forwarded-For")
        && !context.Request.Headers.ContainsKey("Forwarded")
        && !context.Request.Headers.ContainsKey("X-Real-IP");
}
