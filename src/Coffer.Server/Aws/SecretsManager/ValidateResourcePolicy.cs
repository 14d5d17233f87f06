using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record ValidateResourcePolicyRequest(string? SecretId, string ResourcePolicy);

public sealed record ValidationErrorsEntry(string CheckName, string ErrorMessage);

public sealed record ValidateResourcePolicyResponse(bool PolicyValidationPassed, List<ValidationErrorsEntry> ValidationErrors);

public static class ValidateResourcePolicy
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ValidateResourcePolicy", static () => SecretsManagerJson.Default.ValidateResourcePolicyRequest, static () => SecretsManagerJson.Default.ValidateResourcePolicyResponse,
        async (s, call, r, ct) =>
        {
            var errors = await s.Secrets.ValidateResourcePolicyAsync(call, r.SecretId, r.ResourcePolicy, ct);
            return new ValidateResourcePolicyResponse(errors.Count == 0, [.. errors.Select(e => new ValidationErrorsEntry(e.CheckName, e.Message))]);
        });
}
