using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Admin;

public sealed record ListFunctionsResponse(List<FunctionConfiguration> Functions);

public static class ListFunctions
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ListFunctions", AdminJson.Default.Empty, AdminJson.Default.ListFunctionsResponse,
        (s, call, _, _) => Task.FromResult(new ListFunctionsResponse([.. s.Functions.List(call).Select(FunctionConfiguration.From)])));
}
