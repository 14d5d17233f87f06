using System.Collections.Concurrent;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Microsoft.Extensions.Logging;

namespace Coffer.Client;

/// <summary>
/// Environment variables encrypted with KMS as AWS's Lambda console does it (and
/// <c>coffer env encrypt</c>): the value is a base64 ciphertext bound to the encryption context
/// <c>{"LambdaFunctionName": NAME}</c>. Each is decrypted once, at the first read (cold start),
/// and the plaintext kept in memory for the life of the process.
/// </summary>
public sealed class EncryptedEnvironment : IDisposable
{
    /// <summary>The encryption context key that binds a ciphertext to a function.</summary>
    public const string ContextKey = "LambdaFunctionName";

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _plaintexts = new(StringComparer.Ordinal);
    private readonly Lazy<AmazonKeyManagementServiceClient> _kms;
    private readonly ILogger _logger;
    private readonly string? _functionName;

    /// <param name="options">Where KMS is.</param>
    /// <param name="functionName">The function the values are bound to (default: <c>$AWS_LAMBDA_FUNCTION_NAME</c>).</param>
    public EncryptedEnvironment(CofferClientOptions? options = null, string? functionName = null)
    {
        options ??= CofferClientOptions.Default;
        _kms = new Lazy<AmazonKeyManagementServiceClient>(options.CreateKms);
        _logger = options.LoggerFactory.CreateLogger<EncryptedEnvironment>();
        _functionName = functionName ?? Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME");
    }

    /// <summary>The plaintext of the encrypted variable <paramref name="variable"/>, decrypted on the first call only.</summary>
    public Task<string> GetAsync(string variable, CancellationToken ct = default)
    {
        var lazy = _plaintexts.GetOrAdd(variable, v => new Lazy<Task<string>>(() => DecryptAsync(v, ct)));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // A failure is not cached: the next call tries again.
            _plaintexts.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(variable, lazy));
        }

        return task;
    }

    public void Dispose()
    {
        if (_kms.IsValueCreated)
        {
            _kms.Value.Dispose();
        }
    }

    private async Task<string> DecryptAsync(string variable, CancellationToken ct)
    {
        var encoded = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v ? v : throw new InvalidOperationException($"The environment variable {variable} is not set.");
        var function = _functionName ?? throw new InvalidOperationException("AWS_LAMBDA_FUNCTION_NAME is not set: the encryption context needs the function's name.");
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The environment variable {variable} is not base64 (encrypt it with `coffer env encrypt`).");
        }

        using var ciphertext = new MemoryStream(blob);
        var answer = await _kms.Value.DecryptAsync(new DecryptRequest
        {
            CiphertextBlob = ciphertext,
            EncryptionContext = new Dictionary<string, string> { [ContextKey] = function },
        }, ct);
        Log.EnvironmentDecrypted(_logger, variable, function);
        return System.Text.Encoding.UTF8.GetString(answer.Plaintext.ToArray());
    }
}
