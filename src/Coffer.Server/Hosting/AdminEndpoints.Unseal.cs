using System.Globalization;
using System.Text.Json;
using Coffer.Core.Crypto;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Hosting;

public sealed partial class AdminEndpoints
{
    private async Task UnsealAsync(HttpContext context)
    {
        if (!services.Keyring.IsSealed)
        {
            await WriteAsync(context, 200, w => w.WriteBoolean("sealed", false));
            return;
        }

        var body = await ReadSmallBodyAsync(context.Request);
        if (body is null)
        {
            await WriteTooLargeAsync(context);
            return;
        }

        var passphrase = ReadPassphrase(body);
        if (string.IsNullOrEmpty(passphrase))
        {
            await WriteAsync(context, 400, w =>
            {
                w.WriteString("__type", "ValidationException");
                w.WriteString("message", "The body must be {\"passphrase\": \"...\"}.");
            });
            return;
        }

        var outcome = await unsealGate.RunAsync(() => TryUnseal(passphrase), context.RequestAborted);
        switch (outcome)
        {
            case UnsealOutcome.Busy:
                Log.UnsealRefusedBusy(logger, context.Connection.RemoteIpAddress?.ToString());
                context.Response.Headers.RetryAfter = Math.Ceiling(unsealGate.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await WriteAsync(context, 429, w =>
                {
                    w.WriteString("__type", "ThrottlingException");
                    w.WriteString("message", "Too many unseal attempts at once: one runs at a time and a few may wait. Try again after the Retry-After delay.");
                });
                return;
            case UnsealOutcome.Wrong:
                Log.UnsealFailed(logger, context.Connection.RemoteIpAddress?.ToString());
                await WriteAsync(context, 400, w =>
                {
                    w.WriteString("__type", "InvalidPassphraseException");
                    w.WriteString("message", "The passphrase does not unseal this data directory.");
                });
                return;
            default:
                await WriteAsync(context, 200, w => w.WriteBoolean("sealed", false));
                return;
        }
    }

    /// <summary>Runs inside the gate: the state may have changed while this request waited.</summary>
    private bool TryUnseal(string passphrase)
    {
        if (!services.Keyring.IsSealed)
        {
            return true;
        }

        var root = RootKeySeal.TryUnseal(options.DataDir, passphrase);

        // The derivation left its working memory (64 MiB by default) as garbage on the large
        // object heap; give it back now rather than let a run of guesses pile it up.
        GC.Collect();
        if (root is null)
        {
            return false;
        }

        services.Keyring.Unseal(root);
        Log.Unsealed(logger);
        return true;
    }

    private static string? ReadPassphrase(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("passphrase", out var p) && p.ValueKind == JsonValueKind.String
                ? p.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
