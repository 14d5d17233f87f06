using System.Diagnostics;
using Coffer.Core;
using Coffer.Core.Diagnostics;
using Coffer.Server.Hosting;
using Coffer.Server.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Auth;

/// <summary>
/// Who is calling, for both wire formats: the SigV4 signature, then the caller's own request rate.
/// A key id whose signatures keep failing, or that names no active key, is slowed down (someone
/// guessing a secret, or trying key ids), and a key
/// that calls faster than its bucket allows gets <c>ThrottlingException</c>, which the SDKs back off
/// from (issue 8).
/// </summary>
public sealed class RequestAuthenticator(SigV4Verifier verifier, Throttle throttle)
{
    /// <summary>Authenticates a request; with its key cached (nearly always) the task completes at once,
    /// without a state machine: only a key read from the store is awaited.</summary>
    public ValueTask<Authenticated> AuthenticateAsync(HttpRequest request, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var span = CofferTracing.Start("authenticate");
        ValueTask<Authenticated> verifying;
        try
        {
            verifying = verifier.VerifyAsync(request, body, cancellationToken);
        }
        catch (CofferException e)
        {
            Failed(e, request, span);
            span?.Dispose();
            throw;
        }

        if (!verifying.IsCompletedSuccessfully)
        {
            return AwaitedAsync(verifying, request, span);
        }

        using (span)
        {
            return new(Admitted(verifying.Result));
        }
    }

    private async ValueTask<Authenticated> AwaitedAsync(ValueTask<Authenticated> verifying, HttpRequest request, Activity? span)
    {
        using (span)
        {
            Authenticated auth;
            try
            {
                auth = await verifying;
            }
            catch (CofferException e)
            {
                Failed(e, request, span);
                throw;
            }

            return Admitted(auth);
        }
    }

    private void Failed(CofferException e, HttpRequest request, Activity? span)
    {
        ServerMetrics.AuthFailed(e.Code);
        span?.SetStatus(ActivityStatusCode.Error);
        span?.SetTag("error.type", e.Code);
        // A key id that does not exist (or no longer does) counts as a failed signature: each such request
        // costs a read of the store, and someone trying key ids from one address is slowed down as one
        // trying secrets is. Made-up ids that change every request are bounded by the address's bucket.
        if (e.Code is ErrorCodes.InvalidSignature or ErrorCodes.UnrecognizedClient)
        {
            throttle.SignatureFailed(request);
        }
    }

    /// <summary>The caller, once its own request rate allows the call.</summary>
    private Authenticated Admitted(Authenticated auth) =>
        auth.Principal.AccessKeyId is { } accessKeyId && !throttle.TryAcquire(accessKeyId)
            ? throw new CofferException(ErrorCodes.Throttling, Throttle.Message)
            : auth;
}
