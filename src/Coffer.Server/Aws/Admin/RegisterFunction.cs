using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Admin;

public sealed record RegisterFunctionRequest(string FunctionName, string Url, int? TimeoutSeconds, string? Description);

public sealed record RegisterFunctionResponse(string FunctionArn);

public static class RegisterFunction
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "RegisterFunction", static () => AdminJson.Default.RegisterFunctionRequest, static () => AdminJson.Default.RegisterFunctionResponse,
        async (s, call, r, ct) =>
        {
            var url = Uri.TryCreate(r.Url, UriKind.Absolute, out var parsed) ? parsed : throw Core.CommonErrors.Validation($"Url '{r.Url}' is not an absolute http or https URL.");
            var function = await s.Functions.RegisterAsync(call, r.FunctionName, url, r.TimeoutSeconds, r.Description, ct);
            return new RegisterFunctionResponse(function.Arn);
        });
}
