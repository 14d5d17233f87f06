using System.Text.Json;
using Coffer.Core.Secrets;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record RotateSecretRequest(
    string SecretId,
    string? ClientRequestToken,
    string? RotationLambdaARN,
    RotationRulesType? RotationRules,
    List<JsonElement>? ExternalSecretRotationMetadata,
    string? ExternalSecretRotationRoleArn,
    bool? RotateImmediately);

public static class RotateSecret
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "RotateSecret", static () => SecretsManagerJson.Default.RotateSecretRequest, static () => SecretsManagerJson.Default.ArnNameVersionResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Secrets.RotateSecretAsync(call, r.SecretId, new RotateSecretInput
            {
                ClientRequestToken = r.ClientRequestToken,
                RotationLambdaArn = string.IsNullOrEmpty(r.RotationLambdaARN) ? null : r.RotationLambdaARN,
                RotationRules = r.RotationRules?.ToDomain(),
                RotateImmediately = r.RotateImmediately != false,
                ExternalRotation = r.ExternalSecretRotationMetadata is { Count: > 0 } || r.ExternalSecretRotationRoleArn is not null,
            }, ct);
            return new ArnNameVersionResponse(result.Arn, result.Name, result.VersionId);
        });
}
