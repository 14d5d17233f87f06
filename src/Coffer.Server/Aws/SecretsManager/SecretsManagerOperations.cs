using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

/// <summary>The Secrets Manager operations Coffer implements (X-Amz-Target <c>secretsmanager.NAME</c>).</summary>
public static class SecretsManagerOperations
{
    public static IReadOnlyList<JsonOperation> All { get; } =
    [
        CreateSecret.Operation,
        GetSecretValue.Operation,
        BatchGetSecretValue.Operation,
        PutSecretValue.Operation,
        UpdateSecret.Operation,
        UpdateSecretVersionStage.Operation,
        DescribeSecret.Operation,
        ListSecrets.Operation,
        ListSecretVersionIds.Operation,
        DeleteSecret.Operation,
        RestoreSecret.Operation,
        GetRandomPassword.Operation,
        TagResource.Operation,
        UntagResource.Operation,
        GetResourcePolicy.Operation,
        PutResourcePolicy.Operation,
        Replication.Replicate,
        Replication.Remove,
        Replication.Stop,
        DeleteResourcePolicy.Operation,
        ValidateResourcePolicy.Operation,
        RotateSecret.Operation,
        CancelRotateSecret.Operation,
    ];
}
