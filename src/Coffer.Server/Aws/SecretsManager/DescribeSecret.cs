using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public static class DescribeSecret
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "DescribeSecret", static () => SecretsManagerJson.Default.SecretIdRequest, static () => SecretsManagerJson.Default.SecretDescription,
        (s, call, r, ct) => Task.FromResult(SecretDescription.From(s.Secrets.DescribeSecret(call, r.SecretId), listEntry: false)));
}
