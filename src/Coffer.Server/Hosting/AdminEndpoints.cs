using System.Text.Json;
using Coffer.Server.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Hosting;

/// <summary>
/// Coffer's own endpoints under <c>/_coffer/</c>: health, liveness and readiness (for probes), unseal (like Vault's
/// sys/unseal: it takes the passphrase, never logs it), and, in dev mode only, reset (signed by
/// the dev root). None of them answers a web page: browsers mark cross-origin requests with
/// <c>Origin</c> and <c>Sec-Fetch-Site</c>, and the CLI and probes send neither.
/// </summary>
public sealed partial class AdminEndpoints(CofferServices services, CofferServerOptions options, Func<Task> resetDevState, SigV4Verifier verifier, UnsealGate unsealGate, ILogger logger, EventStream? stream = null, Func<bool?>? schedulerRunsHere = null)
{
    /// <summary>The largest body an admin endpoint reads: a passphrase, or an empty reset.</summary>
    public const int MaxBodyBytes = 4096;

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        var post = HttpMethods.IsPost(context.Request.Method);
        if (IsFromWebPage(context.Request))
        {
            await WriteAsync(context, 403, w =>
            {
                w.WriteString("__type", "AccessDeniedException");
                w.WriteString("message", "The /_coffer/ endpoints do not answer requests made by web pages (an Origin header, or Sec-Fetch-Site: cross-site or same-site).");
            });
            return;
        }

        switch (path)
        {
            case "/_coffer/health" when HttpMethods.IsGet(context.Request.Method):
                await WriteAsync(context, 200, w =>
                {
                    w.WriteString("status", services.Keyring.IsSealed ? "sealed" : "ok");
                    w.WriteBoolean("sealed", services.Keyring.IsSealed);
                    w.WriteBoolean("dev", options.Dev);
                    w.WriteString("version", CofferServer.Version);
                });
                return;
            case "/_coffer/health/live" when HttpMethods.IsGet(context.Request.Method):
                // Liveness: the process answers. Sealed is alive; restarting would not unseal it.
                await WriteAsync(context, 200, w => w.WriteString("status", "alive"));
                return;
            case "/_coffer/health/ready" when HttpMethods.IsGet(context.Request.Method):
                await ReadyAsync(context);
                return;
            case StatusPath when HttpMethods.IsGet(context.Request.Method):
                await StatusAsync(context);
                return;
            case EventStream.Path when HttpMethods.IsGet(context.Request.Method) && stream is not null:
                await stream.HandleAsync(context, RequestInfo.From(context, Guid.NewGuid().ToString(), services.Time.GetUtcNow()).Origin);
                return;
            case "/_coffer/unseal" when post:
                await UnsealAsync(context);
                return;
            case "/_coffer/reset" when post && options.Dev:
                await ResetAsync(context);
                return;
            default:
                await WriteAsync(context, 404, w =>
                {
                    w.WriteString("__type", "NotFound");
                    w.WriteString("message", options.Dev || path != "/_coffer/reset" ? $"No such Coffer endpoint: {context.Request.Method} {path}" : "Reset exists only in dev mode.");
                });
                return;
        }
    }

    /// <summary>
    /// A browser names the page's origin on every cross-origin request (and on same-origin POSTs),
    /// and modern ones say where the request came from in Sec-Fetch-Site; a text/plain form POST
    /// needs no preflight, so refusing here is what stops a page from reaching these endpoints.
    /// Any Origin is refused, not only foreign ones: with DNS rebinding a hostile page can be
    /// "same-origin" with a server on loopback.
    /// </summary>
    private static bool IsFromWebPage(HttpRequest request) =>
        request.Headers.ContainsKey("Origin")
        || request.Headers["Sec-Fetch-Site"].FirstOrDefault() is "cross-site" or "same-site";

    /// <summary>The body, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadSmallBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk.AsSpan(0, read));
        }

        return buffer.ToArray();
    }

    private static Task WriteTooLargeAsync(HttpContext context) =>
        WriteAsync(context, 413, w =>
        {
            w.WriteString("__type", "RequestEntityTooLargeException");
            w.WriteString("message", $"The body of a /_coffer/ request is at most {MaxBodyBytes} bytes.");
        });

    private static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        body(writer);
        writer.WriteEndObject();
    }
}
