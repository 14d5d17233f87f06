using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coffer.Agent;

/// <summary>
/// The agent's HTTP interface, one request delegate with no routing middleware (the hot path is a
/// token check, a dictionary lookup and a write). Checks in AWS's agent's order: <c>/ping</c> is
/// open; a forwarded request is refused (400); the token must be in
/// <c>X-Aws-Parameters-Secrets-Token</c> or <c>X-Vault-Token</c> (else 403); only GET (else 405).
/// </summary>
internal sealed class AgentEndpoint(AgentOptions options, AnswerCache cache, EncryptedVariables environment, ILogger logger)
{
    private static readonly string[] TokenHeaders = ["X-Aws-Parameters-Secrets-Token", "X-Vault-Token"];
    private static readonly byte[] Healthy = "healthy"u8.ToArray();

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var answer = await AnswerAsync(context, path);
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType;
        context.Response.ContentLength = answer.Body.Length;
        await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted);
    }

    private async ValueTask<AgentAnswer> AnswerAsync(HttpContext context, string path)
    {
        if (path == "/ping")
        {
            return new AgentAnswer(200, "text/plain", Healthy);
        }

        var request = context.Request;
        if (request.Headers.ContainsKey("X-Forwarded-For"))
        {
            Log.Refused(logger, path, "forwarded");
            return AgentAnswer.Error(400, "Forwarded", "Forwarded");
        }

        if (!HasToken(request.Headers))
        {
            Log.Refused(logger, path, "missing or wrong token");
            return AgentAnswer.Error(403, "BadToken", "Bad Token");
        }

        if (!HttpMethods.IsGet(request.Method))
        {
            return AgentAnswer.Error(405, "MethodNotAllowed", "Not allowed");
        }

        var target = (path, request.QueryString.Value ?? "");
        if (cache.TryGetFresh(target, out var hit))
        {
            return hit!;
        }

        if (path == EncryptedVariables.Path)
        {
            return await environment.AnswerAsync(request.Query);
        }

        var parsed = AgentRequest.TryParse(path, request.Query, out var error);
        if (parsed is null)
        {
            return error is null ? AgentAnswer.Error(404, "NotFound", "Not found") : AgentAnswer.Error(400, "BadRequest", error);
        }

        try
        {
            return await cache.GetAsync(parsed, context.RequestAborted, target);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return AgentAnswer.Error(499, "ClientClosedRequest", "The caller went away.");
        }
        catch (Exception e)
        {
            Log.RequestFailed(logger, path, e);
            return AgentAnswer.Error(502, "ServiceUnavailable", "The agent could not complete the call.");
        }
    }

    /// <summary>The token compared in constant time (for a given length), as UTF-16 bytes, allocating nothing.</summary>
    private bool HasToken(IHeaderDictionary headers)
    {
        var expected = MemoryMarshal.AsBytes(options.Token.AsSpan());
        foreach (var name in TokenHeaders)
        {
            if (headers.TryGetValue(name, out var values) && values.Count == 1
                && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(values[0].AsSpan()), expected))
            {
                return true;
            }
        }

        return false;
    }
}
