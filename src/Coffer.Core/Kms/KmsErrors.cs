namespace Coffer.Core.Kms;

/// <summary>KMS's errors, with AWS's codes and wording.</summary>
public static class KmsErrors
{
    /// <summary>The codes other modules tell apart; compare with these, never with literals.</summary>
    public static class Codes
    {
        public const string NotFound = "NotFoundException";
        public const string Disabled = "DisabledException";
        public const string InvalidState = "KMSInvalidStateException";
        public const string InvalidCiphertext = "InvalidCiphertextException";
        public const string InvalidArn = "InvalidArnException";
    }

    public static CofferException KeyNotFound(string keyArn) => new(Codes.NotFound, $"Key '{keyArn}' does not exist");

    public static CofferException AliasNotFound(string aliasArn) => new(Codes.NotFound, $"Alias '{aliasArn}' is not found.");

    /// <summary>AWS's text, as the AWS CLI prints it from KMS ("NotFoundException ... Invalid keyId '0e599e69-...'"),
    /// quoted in public lab write-ups of KMS Decrypt with a disabled or deleted key.</summary>
    public static CofferException InvalidKeyId(string keyId) => new(Codes.NotFound, $"Invalid keyId '{keyId}'");

    public static CofferException InvalidArn(string text) => new(Codes.InvalidArn, $"Invalid arn {text}");

    public static CofferException Disabled(string keyArn) => new(Codes.Disabled, $"{keyArn} is disabled.");

    public static CofferException PendingDeletion(string keyArn) => new(Codes.InvalidState, $"{keyArn} is pending deletion.");

    public static CofferException NotPendingDeletion(string keyArn) => new(Codes.InvalidState, $"{keyArn} is not pending deletion.");

    public static CofferException PendingImport(string keyArn) => new(Codes.InvalidState, $"{keyArn} is pending import.");

    public static CofferException InvalidImportToken() => new("InvalidImportTokenException", "The import token is not valid for this key.");

    public static CofferException ExpiredImportToken() => new("ExpiredImportTokenException", "The import token has expired: call GetParametersForImport again.");

    public static CofferException IncorrectKeyMaterial() =>
        new("IncorrectKeyMaterialException", "The key material is not the key material previously imported into this key.");

    public static CofferException InvalidCiphertext() =>
        new(Codes.InvalidCiphertext, "The ciphertext is invalid, was changed, or does not match the encryption context.");

    public static CofferException AsymmetricCiphertextNeedsKeyId(string algorithm) =>
        new("InvalidCiphertextException", $"A ciphertext made with {algorithm} does not name its key: give the KeyId of the asymmetric KMS key that made it.");

    public static CofferException InvalidSignature() => new("KMSInvalidSignatureException", "The signature is not valid for this message, key and signing algorithm.");

    public static CofferException InvalidMac() => new("KMSInvalidMacException", "The MAC is not valid for this message, key and MAC algorithm.");

    public static CofferException InvalidGrantToken() => new("InvalidGrantTokenException", "The grant token is not valid.");

    public static CofferException GrantNotFound(string? grantId) => new("NotFoundException", $"Grant ID {grantId} not found");

    public static CofferException IncorrectKey() =>
        new("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.");

    public static CofferException InvalidKeyUsage(string message) => new("InvalidKeyUsageException", message);

    public static CofferException AlreadyExists(string message) => new("AlreadyExistsException", message);

    public static CofferException AliasExists(string aliasArn) => new("AlreadyExistsException", $"An alias with the name {aliasArn} already exists");

    public static CofferException InvalidAliasName(string message) => new("InvalidAliasNameException", message);

    public static CofferException Unsupported(string message) => new("UnsupportedOperationException", message);

    public static CofferException MalformedPolicy(string message) => new("MalformedPolicyDocumentException", message);

    public static CofferException LimitExceeded(string message) => new("LimitExceededException", message);

    public static CofferException Tag(string message) => new("TagException", message);

    public static CofferException InvalidMarker() => new("InvalidMarkerException", "The marker is not valid.");

    public static CofferException DryRun() => new("DryRunOperationException", "The request would have succeeded, but the DryRun option is set.");

    public static CofferException CustomKeyStoreNotFound(string id) => new("CustomKeyStoreNotFoundException", $"Custom key store '{id}' does not exist: Coffer has no custom key stores.");

    public static CofferException AwsManaged(string keyArn) =>
        CommonErrors.AccessDenied($"{keyArn} is an AWS managed key: its policy and lifecycle are managed by the service that uses it.");

    public static CofferException Validation(string message) => CommonErrors.Validation(message);
}
