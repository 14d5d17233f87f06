using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record DeleteSecretRequest(string SecretId, long? RecoveryWindowInDays, bool? ForceDeleteWithoutRecovery);

public sealed record DeleteSecretResponse(string ARN, string Name, DateTimeOffset DeletionDate);

public static class DeleteSecret
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "DeleteSecret", static () => SecretsManagerJson.Default.DeleteSecretRequest, static () => SecretsManagerJson.Default.DeleteSecretResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Secrets.DeleteSecretAsync(call, r.SecretId, r.RecoveryWindowInDays, r.ForceDeleteWithoutRecovery == true, ct);
            return new DeleteSecretResponse(result.Arn, result.Name, result.DeletionDate);
        });
}
