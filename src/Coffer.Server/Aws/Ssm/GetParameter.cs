using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

public sealed record GetParameterRequest(string Name, bool? WithDecryption);

public sealed record GetParameterResponse(Parameter Parameter);

public static class GetParameter
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GetParameter", static () => SsmJson.Default.GetParameterRequest, static () => SsmJson.Default.GetParameterResponse,
        async (s, call, r, ct) => new GetParameterResponse(Parameter.From(await s.Parameters.GetParameterAsync(call, r.Name, r.WithDecryption == true, ct))));
}
