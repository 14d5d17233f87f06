namespace Coffer.Agent;

/// <summary>
/// Where the agent sends its calls, found as the AWS SDKs find them: <c>AWS_ENDPOINT_URL_SSM</c>,
/// <c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c>, else <c>AWS_ENDPOINT_URL</c>, else AWS's regional endpoints.
/// The change-event stream is Coffer's alone, so it is only read when an endpoint is configured.
/// KMS (<c>AWS_ENDPOINT_URL_KMS</c>, else the same) decrypts the encrypted environment variables.
/// </summary>
public sealed record CofferEndpoints(Uri Ssm, Uri SecretsManager, Uri? Events, string Region)
{
    public Uri Kms { get; init; } = new($"https://kms.{Region}.amazonaws.com/");

    public static CofferEndpoints Aws(string region) =>
        new(new Uri($"https://ssm.{region}.amazonaws.com/"), new Uri($"https://secretsmanager.{region}.amazonaws.com/"), null, region);

    public static CofferEndpoints FromEnvironment(Func<string, string?> env)
    {
        var region = new[] { "AWS_REGION", "AWS_DEFAULT_REGION" }.Select(env).FirstOrDefault(v => !string.IsNullOrEmpty(v))
            ?? SharedConfig.Region(env) ?? "us-east-1";
        if (env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.Trim().ToLowerInvariant() == "true")
        {
            return Aws(region);
        }

        var all = Url(env, "AWS_ENDPOINT_URL");
        var ssm = Url(env, "AWS_ENDPOINT_URL_SSM") ?? all;
        var secrets = Url(env, "AWS_ENDPOINT_URL_SECRETS_MANAGER") ?? all;
        var aws = Aws(region);
        var events = Url(env, "AWS_ENDPOINT_URL_EVENTS") ?? all ?? secrets ?? ssm;
        return new CofferEndpoints(ssm ?? aws.Ssm, secrets ?? aws.SecretsManager, events, region) { Kms = Url(env, "AWS_ENDPOINT_URL_KMS") ?? all ?? aws.Kms };
    }

    public override string ToString() => $"ssm={Ssm} secretsmanager={SecretsManager} kms={Kms} events={Events?.ToString() ?? "(none)"} region={Region}";

    private static Uri? Url(Func<string, string?> env, string name)
    {
        var text = env(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text.Trim().TrimEnd('/') + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new AgentConfigException($"{name} must be an http or https URL; it is '{text}'.");
        }

        return uri;
    }
}
