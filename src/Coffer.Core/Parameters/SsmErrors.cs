namespace Coffer.Core.Parameters;

/// <summary>Parameter Store's errors, with AWS's codes (the model's error shape names) and wording.
/// None of them ever carries a parameter's value.</summary>
public static class SsmErrors
{
    /// <summary>The codes other modules tell apart; compare with these, never with literals.</summary>
    public static class Codes
    {
        public const string ParameterNotFound = "ParameterNotFound";
    }

    public static CofferException ParameterNotFound(string name) => new(Codes.ParameterNotFound, $"Parameter {name} not found.");

    public static CofferException AlreadyExists() =>
        new("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");

    public static CofferException VersionNotFound(string name, string selector) =>
        new("ParameterVersionNotFound", $"Systems Manager could not find version {selector} of {name}. Verify the version and try again.");

    public static CofferException LabelLimitExceeded() =>
        new("ParameterVersionLabelLimitExceeded", "A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.");

    public static CofferException MaxVersionLimitExceeded(string name, long oldest) =>
        new("ParameterMaxVersionLimitExceeded", $"You attempted to create a new version of {name} by calling the PutParameter API with the overwrite flag. Version {oldest}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.");

    /// <summary>AWS's text for an empty value, which leaves the sensitive member's value out ("Value at 'value'"),
    /// as quoted from a live PutParameter failure in a public project's regression test comment.</summary>
    public static CofferException EmptyValue() =>
        Validation("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");

    public static CofferException TooManyUpdates() =>
        new("TooManyUpdates", "There are concurrent updates for a resource that supports one update at a time.");

    public static CofferException ParameterLimitExceeded() =>
        new("ParameterLimitExceeded", "You have exceeded the number of parameters for this Amazon Web Services account. Delete one or more parameters and try again.");

    public static CofferException InvalidKeyId(string message) => new("InvalidKeyId", message);

    public static CofferException HierarchyLevelLimitExceeded() =>
        new("HierarchyLevelLimitExceededException", "A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the AWS Systems Manager User Guide.");

    public static CofferException HierarchyTypeMismatch(string from, string to) =>
        new("HierarchyTypeMismatchException", $"Parameter Store doesn't support changing a parameter type in a hierarchy: this parameter is a {from}, not a {to}. Create a new, unique parameter.");

    public static CofferException PatternMismatch(string pattern) =>
        new("ParameterPatternMismatchException", $"Parameter value, cannot be validated against allowedPattern: {pattern}");

    public static CofferException InvalidAllowedPattern(string message) => new("InvalidAllowedPatternException", message);

    public static CofferException InvalidFilterKey(string message) => new("InvalidFilterKey", message);

    public static CofferException InvalidFilterOption(string message) => new("InvalidFilterOption", message);

    public static CofferException InvalidFilterValue(string message) => new("InvalidFilterValue", message);

    public static CofferException InvalidNextToken() => new("InvalidNextToken", "The specified token isn't valid.");

    public static CofferException PoliciesLimitExceeded() =>
        new("PoliciesLimitExceededException", "You specified more than the maximum number of allowed policies for the parameter. The maximum is 10.");

    public static CofferException InvalidPolicyType(string type) =>
        new("InvalidPolicyTypeException", $"The policy type {type} isn't supported. Parameter Store supports the following policy types: Expiration, ExpirationNotification, and NoChangeNotification.");

    public static CofferException InvalidPolicyAttribute(string message) => new("InvalidPolicyAttributeException", message);

    public static CofferException IncompatiblePolicy(string message) => new("IncompatiblePolicyException", message);

    public static CofferException InvalidResourceType() =>
        new("InvalidResourceType", "The resource type isn't valid. Coffer tags parameters only (ResourceType Parameter).");

    public static CofferException InvalidResourceId() => new("InvalidResourceId", "The resource ID isn't valid. Verify that you entered the correct ID and try again.");

    public static CofferException TooManyTags() => new("TooManyTagsError", "The Targets parameter includes too many tags. A parameter can have at most 50 tags.");

    public static CofferException Validation(string message) => CommonErrors.Validation(message);

    /// <summary>AWS's text (pinned in moto's SSM tests, test_put_parameter_invalid_data_type). Coffer also answers it
    /// for <c>aws:ssm:integration</c>, which needs AWS integrations Coffer does not have.</summary>
    public static CofferException UnsupportedDataType(string dataType) =>
        Validation($"The following data type is not supported: {dataType} (Data type names are all lowercase.)");

    public static CofferException ResourceNotFound(string arn) =>
        new("ResourceNotFoundException", $"The specified parameter to share couldn't be found: {arn}");

    public static CofferException ResourcePolicyInvalidParameter(string message) => new("ResourcePolicyInvalidParameterException", message);

    public static CofferException ResourcePolicyNotFound(string policyId) =>
        new("ResourcePolicyNotFoundException", $"No policies with policy ID {policyId} exist for this resource.");

    public static CofferException ResourcePolicyConflict() =>
        new("ResourcePolicyConflictException", "The hash provided in the call doesn't match the stored hash. This exception is thrown when trying to update an obsolete policy version or when multiple requests to update a policy are sent.");

    public static CofferException MalformedResourcePolicy(string message) => new("MalformedResourcePolicyDocumentException", message);

    public static CofferException ServiceSettingNotFound(string settingId) =>
        new("ServiceSettingNotFound", $"The service setting {settingId} doesn't exist, or Coffer does not implement it.");
}
