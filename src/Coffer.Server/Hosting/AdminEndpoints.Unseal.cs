using System.Globalization;
using System.Text.Json;
using Coffer.Core.Audit;
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

        UnsealOutcome outcome;
        try
        {
            outcome = await unsealGate.RunAsync(() => TryUnseal(passphrase), context.RequestAborted);
        }
        catch (AuditAnchorException e)
        {
            // Stays sealed: a server whose audit log does not match its anchor takes no calls.
            await WriteAsync(context, 503, w =>
            {
                w.WriteString("__type", AuditStartup.MismatchErrorCode);
                w.WriteString("message", e.Message);
            });
            return;
        }

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

        try
        {
            // The audit chain is checked against its anchor before the server takes a call. The
            // gate runs one attempt at a time on its own, so waiting here holds up nobody else.
            AuditStartup.OpenAsync(services, root, options, logger).GetAwaiter().GetResult();
        }
        catch (AuditAnchorException)
        {
            root.Dispose();
            throw;
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
