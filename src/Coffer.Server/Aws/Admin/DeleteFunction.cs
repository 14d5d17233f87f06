using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Admin;

public sealed record DeleteFunctionRequest(string FunctionName);

public static class DeleteFunction
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "DeleteFunction", static () => AdminJson.Default.DeleteFunctionRequest, static () => AdminJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Functions.DeleteAsync(call, r.FunctionName, ct);
            return new Empty();
        });
}
