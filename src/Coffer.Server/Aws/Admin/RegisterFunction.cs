using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Admin;

public sealed record RegisterFunctionRequest(string FunctionName, string Url, int? TimeoutSeconds, string? Description);

public sealed record RegisterFunctionResponse(string FunctionArn);

public static class RegisterFunction
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "RegisterFunction", AdminJson.Default.RegisterFunctionRequest, AdminJson.Default.RegisterFunctionResponse,
        async (s, call, r, ct) =>
        {
            var function = await s.Functions.RegisterAsync(call, r.FunctionName, new Uri(r.Url), r.TimeoutSeconds, r.Description, ct);
            return new RegisterFunctionResponse(function.Arn);
        });
}
