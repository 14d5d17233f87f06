using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Console;

/// <summary>
/// The console's files, built into this assembly as embedded resources (<c>Console/assets/</c>), so
/// the server needs no files at run time and the console works offline: no CDN, no third-party
/// script. The policy allows scripts, styles and connections only from this origin, no inline
/// script or style, no eval, no framing.
/// </summary>
internal static class ConsoleAssets
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string Prefix = "console/";

    private static readonly FrozenDictionary<string, string> Types = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".json"] = "application/json",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, byte[]> Files = Load();

    /// <summary>The asset names, for tests.</summary>
    public static IEnumerable<string> Names => Files.Keys;

    public static async Task ServeAsync(HttpContext context, string? rest)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = 405;
            return;
        }

        if (string.IsNullOrEmpty(rest))
        {
            // /console -> /console/, so relative module paths resolve.
            context.Response.StatusCode = 308;
            context.Response.Headers.Location = ConsoleEndpoints.AssetsPath + "/";
            return;
        }

        var name = rest == "/" ? "index.html" : rest.TrimStart('/');
        if (!Files.TryGetValue(name, out var bytes) || !Types.TryGetValue(Path.GetExtension(name), out var type))
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Not found.");
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = type;
        context.Response.ContentLength = bytes.Length;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }
    }

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[resource[Prefix.Length..].Replace('\\', '/')] = copy.ToArray();
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
