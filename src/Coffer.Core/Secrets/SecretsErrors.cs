namespace Coffer.Core.Secrets;

/// <summary>Secrets Manager's errors, with AWS's codes (the model's error shapes) and wording. No message carries a secret value.</summary>
public static class SecretsErrors
{
    /// <summary>The codes other modules tell apart; compare with these, never with literals.</summary>
    public static class Codes
    {
        public const string ResourceNotFound = "ResourceNotFoundException";
    }

    public static CofferException NotFound() => new(Codes.ResourceNotFound, "Secrets Manager can't find the specified secret.");

    public static CofferException ValueNotFound(string what, string id) =>
        new(Codes.ResourceNotFound, $"Secrets Manager can't find the specified secret value for {what}: {id}");

    public static CofferException StageMismatch() =>
        new("InvalidRequestException", "You provided a VersionStage that is not associated to the provided VersionId.");

    public static CofferException MarkedForDeletion() =>
        new("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.");

    public static CofferException NameScheduledForDeletion() =>
        new("InvalidRequestException", "You can't create this secret because a secret with this name is already scheduled for deletion.");

    public static CofferException Exists(string name) =>
        new("ResourceExistsException", $"The operation failed because the secret {name} already exists.");

    public static CofferException VersionExists(string versionId, string arn) =>
        new("ResourceExistsException", $"You can't modify an existing version {versionId} of secret {arn}: the ClientRequestToken is already in use with another value. Create a new version instead.");

    public static CofferException InvalidName() =>
        new("InvalidParameterException", "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");

    public static CofferException BothValues() =>
        new("InvalidParameterException", "You can't specify both a binary secret value and a string secret value in the same secret.");

    public static CofferException NoValue() =>
        new("InvalidRequestException", "You must provide either SecretString or SecretBinary.");

    public static CofferException RotationInProgress() =>
        new("InvalidRequestException", "A previous rotation isn't complete. That rotation will be reattempted.");

    public static CofferException NoRotationFunction() =>
        new("InvalidRequestException", "You tried to enable rotation on a secret that doesn't already have a Lambda function ARN configured and you didn't include such an ARN as a parameter in this call.");

    public static CofferException CannotInvoke(string functionArn) =>
        CommonErrors.AccessDenied($"Secrets Manager cannot invoke the specified Lambda function {functionArn}. Ensure that the function exists: register an HTTP function with 'coffer functions register', or use a built-in one.");

    public static CofferException InvalidParameter(string message) => new("InvalidParameterException", message);

    public static CofferException InvalidRequest(string message) => new("InvalidRequestException", message);

    public static CofferException LimitExceeded(string message) => new("LimitExceededException", message);

    public static CofferException MalformedPolicy(string message) => new("MalformedPolicyDocumentException", message);

    public static CofferException PublicPolicy() =>
        new("PublicPolicyException", "The BlockPublicPolicy parameter is set to true, and the resource policy did not prevent broad access to the secret.");

    public static CofferException InvalidNextToken() => new("InvalidNextTokenException", "The NextToken value is invalid.");

    public static CofferException DecryptionFailure(string reason) =>
        new("DecryptionFailure", $"Secrets Manager can't decrypt the protected secret text using the provided KMS key: {reason}");

    public static CofferException EncryptionFailure(string reason) =>
        new("EncryptionFailure", $"Secrets Manager can't encrypt the protected secret text using the provided KMS key: {reason}");

    // AWS's texts, as AWS answered them to cloud-nuke (gruntwork-io/cloud-nuke issue 435) and to the
    // terraform-aws-secrets-manager module (lgallard/terraform-aws-secrets-manager issue 188).
    public static CofferException ReplicaReadOnly() =>
        InvalidParameter("Operation not permitted on a replica secret. Call must be made in primary secret's region.");

    public static CofferException HasReplicas(string arn, IEnumerable<string> regions) =>
        InvalidParameter($"You can't delete secret {arn} that still has replica regions [{string.Join(", ", regions)}].");
}
