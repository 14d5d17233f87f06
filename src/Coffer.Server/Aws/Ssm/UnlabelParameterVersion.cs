using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

public sealed record UnlabelParameterVersionRequest(string Name, long ParameterVersion, List<string> Labels);

public sealed record UnlabelParameterVersionResponse(IReadOnlyList<string> RemovedLabels, IReadOnlyList<string> InvalidLabels);

public static class UnlabelParameterVersion
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "UnlabelParameterVersion", static () => SsmJson.Default.UnlabelParameterVersionRequest, static () => SsmJson.Default.UnlabelParameterVersionResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Parameters.UnlabelParameterVersionAsync(call, r.Name, r.ParameterVersion, r.Labels, ct);
            return new UnlabelParameterVersionResponse(result.RemovedLabels, result.InvalidLabels);
        });
}
