using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public static class DescribeSecret
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "DescribeSecret", static () => SecretsManagerJson.Default.SecretIdRequest, static () => SecretsManagerJson.Default.SecretDescription,
        async (s, call, r, ct) => SecretDescription.From(await s.Secrets.DescribeSecretAsync(call, r.SecretId, ct), listEntry: false));
}
