using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coffer.Agent;

/// <summary>
/// The environment variables named in <c>COFFER_AGENT_ENCRYPTED_VARIABLES</c>, each a base64 KMS
/// ciphertext bound to the encryption context <c>{"LambdaFunctionName": NAME}</c> (as AWS's Lambda
/// console helper and <c>coffer env encrypt</c> write them, <c>NAME</c> being
/// <c>AWS_LAMBDA_FUNCTION_NAME</c>). Each is decrypted with KMS Decrypt at cold start, and Decrypt's
/// answer is kept in memory for the life of the process and served, byte for byte, on
/// <c>GET /environment/get?name=VARIABLE</c>. A failed decryption is not kept: the next request tries again.
/// </summary>
internal sealed class EncryptedVariables(AgentOptions options, CofferClient client, ILogger logger)
{
    public const string Path = "/environment/get";
    public const string ContextKey = "LambdaFunctionName";

    private readonly ConcurrentDictionary<string, Lazy<Task<AgentAnswer>>> _answers = new(StringComparer.Ordinal);

    /// <summary>Starts decrypting every variable named, without waiting (a request for one waits for its call).</summary>
    public void DecryptAll()
    {
        foreach (var name in options.EncryptedVariables.Keys)
        {
            _ = GetAsync(name);
        }
    }

    public async ValueTask<AgentAnswer> AnswerAsync(IQueryCollection query)
    {
        if (query.Keys.FirstOrDefault(k => k != "name") is { } unknown)
        {
            return AgentAnswer.Error(400, "BadRequest", "unknown parameter: " + unknown);
        }

        var name = query["name"].ToString();
        if (name.Length == 0)
        {
            return AgentAnswer.Error(400, "BadRequest", "missing parameter name");
        }

        if (!options.EncryptedVariables.ContainsKey(name))
        {
            return AgentAnswer.Error(404, "NotFound", $"{name} is not one of the variables in COFFER_AGENT_ENCRYPTED_VARIABLES.");
        }

        return await GetAsync(name);
    }

    private Task<AgentAnswer> GetAsync(string name)
    {
        var lazy = _answers.GetOrAdd(name, n => new Lazy<Task<AgentAnswer>>(() => DecryptAsync(n)));
        return lazy.Value;
    }

    private async Task<AgentAnswer> DecryptAsync(string name)
    {
        AgentAnswer answer;
        try
        {
            var upstream = await client.DecryptAsync(Body(options.EncryptedVariables[name], options.FunctionName!), CancellationToken.None);
            answer = AgentAnswer.From(upstream);
            if (upstream.Succeeded)
            {
                Log.VariableDecrypted(logger, name, options.FunctionName!);
                return answer;
            }

            Log.VariableNotDecrypted(logger, name, $"HTTP {upstream.Status}");
        }
        catch (Exception e)
        {
            // Whatever went wrong, the failure is answered and not kept; only its kind is said (no value).
            var reason = e is UpstreamUnavailableException ? e.Message : e.GetType().Name;
            Log.VariableNotDecrypted(logger, name, reason);
            answer = AgentAnswer.Error(502, "ServiceUnavailable", "The agent could not decrypt the variable: " + reason);
        }

        // Not kept: the next request for it decrypts again.
        _answers.TryRemove(name, out _);
        return answer;
    }

    private static byte[] Body(string ciphertext, string functionName)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("CiphertextBlob", ciphertext);
            w.WriteStartObject("EncryptionContext");
            w.WriteString(ContextKey, functionName);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
