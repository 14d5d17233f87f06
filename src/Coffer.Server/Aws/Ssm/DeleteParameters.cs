using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

public sealed record DeleteParametersResponse(IReadOnlyList<string> DeletedParameters, IReadOnlyList<string> InvalidParameters);

public static class DeleteParameters
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "DeleteParameters", static () => SsmJson.Default.NamesRequest, static () => SsmJson.Default.DeleteParametersResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Parameters.DeleteParametersAsync(call, r.Names, ct);
            return new DeleteParametersResponse(result.DeletedParameters, result.InvalidParameters);
        });
}
