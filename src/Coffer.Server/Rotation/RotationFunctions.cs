using System.Text.Json;
using Coffer.Core.Functions;
using Coffer.Core.Secrets;

namespace Coffer.Server.Rotation;

/// <summary>
/// Invokes rotation functions by Lambda ARN: a registered HTTP endpoint gets the Lambda event as a
/// JSON POST (any 2xx answer is success), and a built-in rotator runs in process. Every invocation
/// has the function's timeout. Failures come back as <see cref="RotationFunctionException"/> with a
/// reason fit for the audit log: never a request body, never a secret value.
/// </summary>
public sealed class RotationFunctions : IRotationFunctions
{
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly CofferServices _services;
    private readonly Dictionary<string, PostgresRotator> _builtIns;

    public RotationFunctions(CofferServices services)
    {
        _services = services;
        _builtIns = new(StringComparer.Ordinal)
        {
            [PostgresRotator.SingleUserName] = new PostgresRotator(services, alternatingUsers: false),
            [PostgresRotator.AlternatingUsersName] = new PostgresRotator(services, alternatingUsers: true),
        };
    }

    /// <summary>The built-in functions, by name, with their descriptions; they exist in every account and region.</summary>
    public static IReadOnlyDictionary<string, string> BuiltIns { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [PostgresRotator.SingleUserName] = "Built-in: rotates a PostgreSQL user's own password (AWS's single-user strategy).",
        [PostgresRotator.AlternatingUsersName] = "Built-in: alternates between a PostgreSQL user and its _clone, using the master secret in 'masterarn' (AWS's alternating-users strategy).",
    };

    public async Task<bool> ExistsAsync(string functionArn, CancellationToken ct) => await _services.Functions.FindAsync(functionArn, ct) is not null;

    public async Task InvokeAsync(string functionArn, RotationEvent rotationEvent, CancellationToken ct)
    {
        var function = await _services.Functions.FindAsync(functionArn, ct) ?? throw new RotationFunctionException($"No function is registered under {functionArn}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(function.TimeoutSeconds));
        try
        {
            if (function.Url is { } url)
            {
                await PostAsync(url, rotationEvent, timeout.Token);
            }
            else
            {
                await _builtIns[function.Name].RunAsync(rotationEvent, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new RotationFunctionException($"The function {function.Name} did not finish the {rotationEvent.Step} step within its timeout of {function.TimeoutSeconds} seconds.");
        }
    }

    private static async Task PostAsync(Uri url, RotationEvent rotationEvent, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            // A body of known length: simple HTTP servers, like Lambda runtimes' emulators, do not read chunked bodies.
            using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(rotationEvent, RotationJson.Default.RotationEvent));
            content.Headers.ContentType = new("application/json");
            response = await Http.PostAsync(url, content, ct);
        }
        catch (HttpRequestException e)
        {
            throw new RotationFunctionException($"The function at {url} could not be reached: {e.Message}", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new RotationFunctionException($"The function answered HTTP {(int)response.StatusCode}{await LambdaErrorAsync(response, ct)}.");
            }
        }
    }

    /// <summary>A Lambda-style error answer's type and message (<c>{"errorType", "errorMessage"}</c>), cut short; nothing else of the body.</summary>
    private static async Task<string> LambdaErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var type = doc.RootElement.TryGetProperty("errorType", out var t) ? t.GetString() : null;
            var message = doc.RootElement.TryGetProperty("errorMessage", out var m) ? m.GetString() : null;
            var text = string.Join(": ", new[] { type, message }.Where(x => !string.IsNullOrEmpty(x)));
            return text.Length == 0 ? "" : ": " + (text.Length > 300 ? text[..300] + "..." : text);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return "";
        }
    }
}
