using Coffer.Core;
using Coffer.Server.Auth;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Hosting;

public sealed partial class AdminEndpoints
{
    /// <summary>The SigV4 service name a reset is signed for (any region).</summary>
    public const string SigningService = "coffer";

    /// <summary>Dev mode's wipe, allowed only to a request signed by the dev root for service <c>coffer</c>.</summary>
    private async Task ResetAsync(HttpContext context)
    {
        var body = await ReadSmallBodyAsync(context.Request);
        if (body is null)
        {
            await WriteTooLargeAsync(context);
            return;
        }

        Authenticated auth;
        try
        {
            auth = await verifier.VerifyAsync(context.Request, body, context.RequestAborted);
        }
        catch (CofferException e)
        {
            await WriteRefusedAsync(context, e.Code, e.Message);
            return;
        }

        if (auth.Service != SigningService)
        {
            await WriteRefusedAsync(context, "InvalidSignatureException", $"Credential should be scoped to correct service: '{SigningService}'. ");
            return;
        }

        if (!auth.Principal.IsRoot)
        {
            await WriteRefusedAsync(context, "AccessDeniedException", $"{auth.Principal.Arn} is not allowed to reset the server: only the dev root is.");
            return;
        }

        await resetDevState();
        Log.Reset(logger);
        await WriteAsync(context, 200, w => w.WriteBoolean("reset", true));
    }

    private static Task WriteRefusedAsync(HttpContext context, string code, string message) =>
        WriteAsync(context, 403, w =>
        {
            w.WriteString("__type", code);
            w.WriteString("message", message);
        });
}
