using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

public sealed record GetParametersByPathRequest(string Path, bool? Recursive, List<ParameterStringFilter>? ParameterFilters, bool? WithDecryption, int? MaxResults, string? NextToken);

public sealed record GetParametersByPathResponse(List<Parameter> Parameters, string? NextToken);

public static class GetParametersByPath
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GetParametersByPath", static () => SsmJson.Default.GetParametersByPathRequest, static () => SsmJson.Default.GetParametersByPathResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Parameters.GetParametersByPathAsync(
                call, r.Path, r.Recursive == true, ParameterStringFilter.ToDomain(r.ParameterFilters), r.WithDecryption == true, r.MaxResults, r.NextToken, ct);
            return new GetParametersByPathResponse([.. page.Items.Select(Parameter.From)], page.NextToken);
        });
}
