namespace Coffer.Agent;

/// <summary>An access key with its secret and, for temporary credentials, a session token. Never printed.</summary>
public sealed class AwsCredentials(string accessKeyId, string secretAccessKey, string? sessionToken)
{
    public string AccessKeyId { get; } = accessKeyId;

    public string SecretAccessKey { get; } = secretAccessKey;

    public string? SessionToken { get; } = sessionToken;

    public override string ToString() => $"{AccessKeyId} (secret redacted)";

    /// <summary>
    /// The SDKs' default chain, as far as a sidecar needs it: the environment
    /// (<c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>), then the
    /// profile in the shared credentials file, then in the config file. A role's credentials from
    /// <c>coffer access role-credentials</c> arrive through the environment or a profile.
    /// </summary>
    public static AwsCredentials Resolve(Func<string, string?>? lookup = null)
    {
        var env = lookup ?? Environment.GetEnvironmentVariable;
        if (env("AWS_ACCESS_KEY_ID") is { Length: > 0 } id && env("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } secret)
        {
            return new AwsCredentials(id, secret, env("AWS_SESSION_TOKEN") is { Length: > 0 } t ? t : null);
        }

        var section = SharedConfig.CredentialsSection(env);
        if (section is not null
            && section.GetValueOrDefault("aws_access_key_id") is { Length: > 0 } fileId
            && section.GetValueOrDefault("aws_secret_access_key") is { Length: > 0 } fileSecret)
        {
            return new AwsCredentials(fileId, fileSecret, section.GetValueOrDefault("aws_session_token") is { Length: > 0 } ft ? ft : null);
        }

        throw new AgentConfigException(
            $"No credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give the profile '{SharedConfig.Profile(env)}' keys in the shared credentials file.");
    }
}
