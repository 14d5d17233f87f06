using System.Text.Json;
using Coffer.Core.Crypto;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Hosting;

/// <summary>
/// Coffer's own endpoints under <c>/_coffer/</c>: health (for probes), unseal (like Vault's
/// sys/unseal: it takes the passphrase, never logs it), and, in dev mode only, reset.
/// </summary>
public sealed class AdminEndpoints(CofferServices services, CofferServerOptions options, Func<Task> resetDevState, ILogger logger, EventStream? stream = null)
{
    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        var post = HttpMethods.IsPost(context.Request.Method);
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
            case EventStream.Path when HttpMethods.IsGet(context.Request.Method) && stream is not null:
                await stream.HandleAsync(context, RequestInfo.From(context, Guid.NewGuid().ToString(), services.Time.GetUtcNow()).Origin);
                return;
            case "/_coffer/unseal" when post:
                await UnsealAsync(context);
                return;
            case "/_coffer/reset" when post && options.Dev:
                await resetDevState();
                Log.Reset(logger);
                await WriteAsync(context, 200, w => w.WriteBoolean("reset", true));
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

    private async Task UnsealAsync(HttpContext context)
    {
        if (!services.Keyring.IsSealed)
        {
            await WriteAsync(context, 200, w => w.WriteBoolean("sealed", false));
            return;
        }

        string? passphrase = null;
        try
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("passphrase", out var p) && p.ValueKind == JsonValueKind.String)
            {
                passphrase = p.GetString();
            }
        }
        catch (JsonException)
        {
            // Answered below as a missing passphrase.
        }

        if (string.IsNullOrEmpty(passphrase))
        {
            await WriteAsync(context, 400, w =>
            {
                w.WriteString("__type", "ValidationException");
                w.WriteString("message", "The body must be {\"passphrase\": \"...\"}.");
            });
            return;
        }

        var root = RootKeySeal.TryUnseal(options.DataDir, passphrase);
        if (root is null)
        {
            Log.UnsealFailed(logger, context.Connection.RemoteIpAddress?.ToString());
            await WriteAsync(context, 400, w =>
            {
                w.WriteString("__type", "InvalidPassphraseException");
                w.WriteString("message", "The passphrase does not unseal this data directory.");
            });
            return;
        }

        services.Keyring.Unseal(root);
        Log.Unsealed(logger);
        await WriteAsync(context, 200, w => w.WriteBoolean("sealed", false));
    }

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
