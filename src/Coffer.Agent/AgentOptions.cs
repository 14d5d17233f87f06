using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Coffer.Agent;

/// <summary>
/// The agent's settings, read from the environment variables of AWS's Parameters and Secrets Lambda
/// Extension (same names, defaults and ranges) plus a few of Coffer's own (<c>COFFER_AGENT_*</c>).
/// Validated at start: a value out of range stops the agent with a message naming the variable.
/// </summary>
public sealed partial record AgentOptions
{
    public static readonly AgentOptions Default = new();

    /// <summary><c>PARAMETERS_SECRETS_EXTENSION_HTTP_PORT</c>: 1 to 65535 (0 lets the system pick one, for tests). Default 2773.</summary>
    public int HttpPort { get; init; } = 2773;

    /// <summary><c>PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED</c>: default true.</summary>
    public bool CacheEnabled { get; init; } = true;

    /// <summary><c>PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE</c>: entries, 0 to 1000 (0: no cache). Default 1000.</summary>
    public int CacheSize { get; init; } = 1000;

    /// <summary><c>COFFER_AGENT_CACHE_BYTES</c>: the cache's bound in bytes of answers kept. Default 64 MiB.</summary>
    public long CacheBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary><c>PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS</c>: connections to Coffer per endpoint, at least 1. Default 3.</summary>
    public int MaxConnections { get; init; } = 3;

    /// <summary><c>SSM_PARAMETER_STORE_TTL</c>: seconds, 0 to 300 (0: parameters are not cached). Default 300.</summary>
    public TimeSpan ParameterTtl { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary><c>SECRETS_MANAGER_TTL</c>: seconds, 0 to 300 (0: secrets are not cached). Default 300.</summary>
    public TimeSpan SecretTtl { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary><c>SSM_PARAMETER_STORE_TIMEOUT_MILLIS</c>: per call to Parameter Store; 0 means no timeout. Default 0.</summary>
    public TimeSpan ParameterTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary><c>SECRETS_MANAGER_TIMEOUT_MILLIS</c>: per call to Secrets Manager; 0 means no timeout. Default 0.</summary>
    public TimeSpan SecretTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary><c>PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL</c>: debug, info, warn, error or none. Default info.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary><c>COFFER_AGENT_MAX_STALE_SECONDS</c>: how long past its TTL an answer may still be served while Coffer
    /// cannot be reached (stale-on-error), 0 to 86400. Default 300.</summary>
    public TimeSpan MaxStale { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary><c>COFFER_AGENT_EVENTS</c>: subscribe to Coffer's change events (default true when Coffer's endpoint is set).</summary>
    public bool SubscribeToEvents { get; init; } = true;

    /// <summary>The token callers must send; from <c>AWS_TOKEN</c>, <c>AWS_SESSION_TOKEN</c> or <c>AWS_CONTAINER_AUTHORIZATION_TOKEN</c>.</summary>
    [Sensitive]
    public string Token { get; init; } = "";

    public CofferEndpoints Endpoints { get; init; } = CofferEndpoints.Aws("us-east-1");

    /// <summary><c>AWS_CA_BUNDLE</c>: extra roots to trust for Coffer's certificate (its private CA).</summary>
    public string? CaBundle { get; init; }

    /// <summary><c>AWS_LAMBDA_RUNTIME_API</c>: when set, the agent runs as a Lambda extension.</summary>
    public string? LambdaRuntimeApi { get; init; }

    /// <summary><c>COFFER_AGENT_ENCRYPTED_VARIABLES</c>: the environment variables (by name, with their base64
    /// ciphertexts) the agent decrypts at cold start and serves on <c>/environment/get</c>.</summary>
    public IReadOnlyDictionary<string, string> EncryptedVariables { get; init; } = new Dictionary<string, string>();

    /// <summary><c>AWS_LAMBDA_FUNCTION_NAME</c>: the function the encrypted variables are bound to (their encryption context).</summary>
    public string? FunctionName { get; init; }

    /// <summary>Whether answers of this kind are kept at all.</summary>
    public bool Caches(RequestKind kind) => CacheEnabled && CacheSize > 0 && Ttl(kind) > TimeSpan.Zero;

    public TimeSpan Ttl(RequestKind kind) => kind == RequestKind.Parameter ? ParameterTtl : SecretTtl;

    public TimeSpan CallTimeout(RequestKind kind) => kind == RequestKind.Parameter ? ParameterTimeout : SecretTimeout;

    /// <summary>The settings as the log prints them at debug level: every setting, and a <see cref="SensitiveAttribute"/>
    /// one redacted by that marking, as the server's --print-config does; no list of names to keep up.</summary>
    public override string ToString() =>
        string.Join(' ', typeof(AgentOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => $"{char.ToLowerInvariant(p.Name[0])}{p.Name[1..]}={Show(p, p.GetValue(this))}"));

    private static string Show(PropertyInfo property, object? value) => value switch
    {
        _ when property.IsDefined(typeof(SensitiveAttribute)) => "(redacted)",
        null => "(none)",
        TimeSpan t when t == Timeout.InfiniteTimeSpan => "none",
        TimeSpan t => t.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms",
        // The variables' names; their ciphertexts are long and say nothing.
        IReadOnlyDictionary<string, string> variables => variables.Count == 0 ? "(none)" : string.Join(',', variables.Keys),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "(none)",
    };
}

/// <summary>Marks an option whose value is never printed or logged.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SensitiveAttribute : Attribute;

/// <summary>What a request reads: a parameter (Parameter Store) or a secret (Secrets Manager).</summary>
public enum RequestKind
{
    Parameter,
    Secret,
}

/// <summary>A setting the agent cannot start with; the message names the variable and its range.</summary>
public sealed class AgentConfigException(string message) : Exception(message);
