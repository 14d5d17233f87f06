using Coffer.Core;
using Coffer.Core.Diagnostics;
using Coffer.Server.Hosting;
using Coffer.Server.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Auth;

/// <summary>
/// Who is calling, for both wire formats: the SigV4 signature, then the caller's own request rate.
/// A key id whose signatures keep failing is slowed down (someone guessing a secret), and a key
/// that calls faster than its bucket allows gets <c>ThrottlingException</c>, which the SDKs back off
/// from (issue 8).
/// </summary>
public sealed class RequestAuthenticator(SigV4Verifier verifier, Throttle throttle)
{
    public Authenticated Authenticate(HttpRequest request, ReadOnlySpan<byte> body)
    {
        using var span = CofferTracing.Start("authenticate");
        Authenticated auth;
        try
        {
            auth = verifier.Verify(request, body);
        }
        catch (CofferException e)
        {
            ServerMetrics.AuthFailed(e.Code);
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
            span?.SetTag("error.type", e.Code);
            if (e.Code == ErrorCodes.InvalidSignature)
            {
                throttle.SignatureFailed(request);
            }

            throw;
        }

        if (auth.Principal.AccessKeyId is { } accessKeyId && !throttle.TryAcquire(accessKeyId))
        {
            throw new CofferException(ErrorCodes.Throttling, Throttle.Message);
        }

        return auth;
    }
}
