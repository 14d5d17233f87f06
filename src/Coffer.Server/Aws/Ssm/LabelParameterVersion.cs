using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

public sealed record LabelParameterVersionRequest(string Name, long? ParameterVersion, List<string> Labels);

public sealed record LabelParameterVersionResponse(IReadOnlyList<string> InvalidLabels, long ParameterVersion);

public static class LabelParameterVersion
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "LabelParameterVersion", static () => SsmJson.Default.LabelParameterVersionRequest, static () => SsmJson.Default.LabelParameterVersionResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Parameters.LabelParameterVersionAsync(call, r.Name, r.ParameterVersion, r.Labels, ct);
            return new LabelParameterVersionResponse(result.InvalidLabels, result.ParameterVersion);
        });
}
