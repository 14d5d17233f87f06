using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

public sealed record GetParametersRequest(List<string> Names, bool? WithDecryption);

public sealed record GetParametersResponse(List<Parameter> Parameters, IReadOnlyList<string> InvalidParameters);

public static class GetParameters
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GetParameters", static () => SsmJson.Default.GetParametersRequest, static () => SsmJson.Default.GetParametersResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Parameters.GetParametersAsync(call, r.Names, r.WithDecryption == true, ct);
            return new GetParametersResponse([.. result.Parameters.Select(Parameter.From)], result.InvalidParameters);
        });
}
