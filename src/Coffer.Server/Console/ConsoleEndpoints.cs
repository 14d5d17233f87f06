using Coffer.Server.Auth;
using Coffer.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Console;

/// <summary>
/// The web console (issue 15): its assets at <c>/console/</c>, built into this assembly, and its
/// two endpoints, <c>POST /_coffer/console/signin</c> (a user name and password for a short STS
/// session) and <c>POST /_coffer/console/signout</c> (signed by that session, which ends it).
/// Everything else the console does is a SigV4-signed call to the public AWS endpoints, made in
/// the browser, so it has no power an SDK lacks and is audited as the signed-in principal.
/// </summary>
public sealed partial class ConsoleEndpoints(CofferServices services, SigV4Verifier verifier, Throttle throttle, ILogger logger)
{
    public const string AssetsPath = "/console";
    public const string ApiPath = "/_coffer/console";

    /// <summary>Whether the console answers this path.</summary>
    public static bool Handles(PathString path) => path.StartsWithSegments(AssetsPath) || path.StartsWithSegments(ApiPath);

    public async Task HandleAsync(HttpContext context)
    {
        SecurityHeaders(context.Response);
        var path = context.Request.Path;
        if (path.StartsWithSegments(AssetsPath, out var rest))
        {
            await ConsoleAssets.ServeAsync(context, rest.Value);
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await WriteErrorAsync(context, 405, "MethodNotAllowed", "The console's endpoints take POST.");
            return;
        }

        if (!IsFromConsole(context.Request, out var why))
        {
            await WriteErrorAsync(context, 403, "AccessDeniedException", why);
            return;
        }

        switch (path.Value)
        {
            case ApiPath + "/signin":
                await SignInAsync(context);
                return;
            case ApiPath + "/signout":
                await SignOutAsync(context);
                return;
            default:
                await WriteErrorAsync(context, 404, "NotFound", "No such console endpoint.");
                return;
        }
    }

    /// <summary>
    /// The console's own page, and no other: a browser sends <c>Origin</c> on every POST, and it must
    /// be this server's own origin (scheme and host as the request reached us); <c>Sec-Fetch-Site</c>,
    /// which modern browsers add and pages cannot forge, must say same-origin. The body must be JSON,
    /// which an HTML form cannot send and which a cross-origin script cannot send without a CORS
    /// preflight that this server never grants. So a foreign page can neither sign a visitor in
    /// (login CSRF) nor make their browser guess passwords for it.
    /// </summary>
    internal static bool IsFromConsole(HttpRequest request, out string why)
    {
        var origin = request.Headers.Origin.FirstOrDefault();
        var own = $"{request.Scheme}://{request.Host.Value}";
        var site = request.Headers["Sec-Fetch-Site"].FirstOrDefault();
        why = "The console's endpoints answer only the console's own page: the request must come from " + own + ".";
        if (origin is null || !string.Equals(origin, own, StringComparison.OrdinalIgnoreCase) || (site is not null && site != "same-origin"))
        {
            return false;
        }

        // DNS rebinding: a page at a name the attacker controls, pointed at this server's address,
        // is same-origin with itself and passes the checks above. Over HTTPS the certificate does not
        // match such a name; over plain HTTP (dev mode, loopback) only an address or localhost is
        // this server's own name.
        if (request.Scheme == "http" && !HostNames.IsAddressOrLocalhost(request.Host.Host))
        {
            why = "Over plain HTTP the console answers only at an IP address or localhost.";
            return false;
        }

        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            why = "The console's endpoints take application/json.";
            return false;
        }

        return true;
    }

    /// <summary>Headers for every console answer: no framing (clickjacking), no sniffing, no referrer, a strict CSP.</summary>
    private static void SecurityHeaders(HttpResponse response)
    {
        var h = response.Headers;
        h.ContentSecurityPolicy = ConsoleAssets.ContentSecurityPolicy;
        h.XFrameOptions = "DENY";
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Cross-Origin-Resource-Policy"] = "same-origin";
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        h.CacheControl = "no-store";
    }
}
