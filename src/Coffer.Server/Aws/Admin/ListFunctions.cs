using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Admin;

public sealed record ListFunctionsResponse(List<FunctionConfiguration> Functions);

public static class ListFunctions
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ListFunctions", static () => AdminJson.Default.Empty, static () => AdminJson.Default.ListFunctionsResponse,
        async (s, call, _, ct) => new ListFunctionsResponse([.. (await s.Functions.ListAsync(call, ct)).Select(FunctionConfiguration.From)]));
}
