using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record UpdateSecretVersionStageRequest(string SecretId, string VersionStage, string? RemoveFromVersionId, string? MoveToVersionId);

public static class UpdateSecretVersionStage
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "UpdateSecretVersionStage", static () => SecretsManagerJson.Default.UpdateSecretVersionStageRequest, static () => SecretsManagerJson.Default.ArnNameResponse,
        async (s, call, r, ct) =>
        {
            var secret = await s.Secrets.UpdateSecretVersionStageAsync(call, r.SecretId, r.VersionStage, r.RemoveFromVersionId, r.MoveToVersionId, ct);
            return new ArnNameResponse(secret.Arn, secret.Name);
        });
}
