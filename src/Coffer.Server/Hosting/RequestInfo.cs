using Coffer.Core;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Hosting;

/// <summary>What the pipeline learned about a request before handing it to a protocol adapter.</summary>
public sealed record RequestInfo(RequestOrigin Origin)
{
    public static RequestInfo From(HttpContext context, string requestId, DateTimeOffset now) =>
        new(new RequestOrigin(
            requestId,
            now,
            context.Connection.RemoteIpAddress?.ToString(),
            context.Request.Headers.UserAgent is { Count: > 0 } agent ? agent[0] : null,
            context.Request.IsHttps));
}
