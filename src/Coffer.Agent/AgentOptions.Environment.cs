using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Coffer.Agent;

public sealed partial record AgentOptions
{
    /// <summary>The token variables, in the order AWS's agent reads them.</summary>
    public static readonly string[] TokenVariables = ["AWS_TOKEN", "AWS_SESSION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN"];

    /// <summary>Reads and validates the settings from the process environment (or the given lookup, for tests).</summary>
    public static AgentOptions FromEnvironment(Func<string, string?>? lookup = null)
    {
        var env = lookup ?? Environment.GetEnvironmentVariable;
        var token = TokenVariables.Select(env).FirstOrDefault(v => !string.IsNullOrEmpty(v))
            ?? throw new AgentConfigException($"Set one of {string.Join(", ", TokenVariables)}: callers must send its value in the X-Aws-Parameters-Secrets-Token header.");
        var options = new AgentOptions
        {
            HttpPort = Int(env, "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", 2773, 0, 65535),
            CacheEnabled = Bool(env, "PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED", true),
            CacheSize = Int(env, "PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE", 1000, 0, 1000),
            CacheBytes = Int(env, "COFFER_AGENT_CACHE_BYTES", 64 * 1024 * 1024, 1024, int.MaxValue),
            MaxConnections = Int(env, "PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS", 3, 1, int.MaxValue),
            ParameterTtl = TimeSpan.FromSeconds(Int(env, "SSM_PARAMETER_STORE_TTL", 300, 0, 300)),
            SecretTtl = TimeSpan.FromSeconds(Int(env, "SECRETS_MANAGER_TTL", 300, 0, 300)),
            ParameterTimeout = Millis(Int(env, "SSM_PARAMETER_STORE_TIMEOUT_MILLIS", 0, 0, int.MaxValue)),
            SecretTimeout = Millis(Int(env, "SECRETS_MANAGER_TIMEOUT_MILLIS", 0, 0, int.MaxValue)),
            LogLevel = Level(env("PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL")),
            MaxStale = TimeSpan.FromSeconds(Int(env, "COFFER_AGENT_MAX_STALE_SECONDS", 300, 0, 86400)),
            SubscribeToEvents = Bool(env, "COFFER_AGENT_EVENTS", true),
            Token = token,
            Endpoints = CofferEndpoints.FromEnvironment(env),
            CaBundle = env("AWS_CA_BUNDLE") is { Length: > 0 } bundle ? bundle : null,
            LambdaRuntimeApi = env("AWS_LAMBDA_RUNTIME_API") is { Length: > 0 } api ? api : null,
            EncryptedVariables = Encrypted(env),
            FunctionName = env("AWS_LAMBDA_FUNCTION_NAME") is { Length: > 0 } function ? function : null,
        };
        return options.EncryptedVariables.Count > 0 && options.FunctionName is null
            ? throw new AgentConfigException("COFFER_AGENT_ENCRYPTED_VARIABLES is set but AWS_LAMBDA_FUNCTION_NAME is not: the variables' encryption context needs the function's name.")
            : options;
    }

    /// <summary>The variables named in <c>COFFER_AGENT_ENCRYPTED_VARIABLES</c> (comma-separated), each set to base64.</summary>
    private static Dictionary<string, string> Encrypted(Func<string, string?> env)
    {
        var ciphertexts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in (env("COFFER_AGENT_ENCRYPTED_VARIABLES") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var value = env(name)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                throw new AgentConfigException($"COFFER_AGENT_ENCRYPTED_VARIABLES names {name}, which is not set.");
            }

            if (!Convert.TryFromBase64String(value, new byte[value.Length], out _))
            {
                throw new AgentConfigException($"{name} is not base64: it must hold a KMS ciphertext, as `coffer env encrypt` writes it.");
            }

            ciphertexts[name] = value;
        }

        return ciphertexts;
    }

    private static int Int(Func<string, string?> env, string name, int fallback, int min, int max)
    {
        var text = env(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new AgentConfigException($"{name} must be a whole number from {min} to {max}; it is '{text}'.");
        }

        return value;
    }

    private static bool Bool(Func<string, string?> env, string name, bool fallback) => env(name)?.Trim().ToLowerInvariant() switch
    {
        null or "" => fallback,
        "true" or "1" => true,
        "false" or "0" => false,
        var other => throw new AgentConfigException($"{name} must be true or false; it is '{other}'."),
    };

    private static TimeSpan Millis(int value) => value == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(value);

    private static LogLevel Level(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "info" => LogLevel.Information,
        "debug" => LogLevel.Debug,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "none" => LogLevel.None,
        var other => throw new AgentConfigException($"PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL must be debug, info, warn, error or none; it is '{other}'."),
    };
}
