using Coffer.Core.Parameters;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

/// <summary>The deprecated Filters (Name, Type, KeyId); Name matches by prefix, as it did.</summary>
public sealed record ParametersFilter(string Key, List<string> Values);

public sealed record DescribeParametersRequest(List<ParametersFilter>? Filters, List<ParameterStringFilter>? ParameterFilters, int? MaxResults, string? NextToken, bool? Shared);

public sealed record ParameterMetadata(
    string Name,
    string ARN,
    string Type,
    string? KeyId,
    DateTimeOffset LastModifiedDate,
    string LastModifiedUser,
    string? Description,
    string? AllowedPattern,
    long Version,
    string Tier,
    List<ParameterInlinePolicy> Policies,
    string DataType);

public sealed record DescribeParametersResponse(List<ParameterMetadata> Parameters, string? NextToken);

public static class DescribeParameters
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "DescribeParameters", static () => SsmJson.Default.DescribeParametersRequest, static () => SsmJson.Default.DescribeParametersResponse,
        async (s, call, r, ct) =>
        {
            if (r.Filters is { Count: > 0 } && r.ParameterFilters is { Count: > 0 })
            {
                throw SsmErrors.Validation("You can use either Filters or ParameterFilters in a single request.");
            }

            var filters = r.Filters is { Count: > 0 }
                ? [.. r.Filters.Select(f => new ParameterFilter(f.Key, f.Key == "Name" ? "BeginsWith" : "Equals", f.Values))]
                : ParameterStringFilter.ToDomain(r.ParameterFilters);
            var page = await s.Parameters.DescribeParametersAsync(call, filters, r.MaxResults, r.NextToken, r.Shared == true, ct);
            return new DescribeParametersResponse(
                [.. page.Items.Select(p => new ParameterMetadata(
                    p.Name, p.Arn, p.Current.Type, p.Current.KeyId, p.Current.LastModifiedDate, p.Current.LastModifiedUser, p.Current.Description,
                    p.Current.AllowedPattern, p.Current.Version, p.Current.Tier, ParameterInlinePolicy.From(p.Current), p.Current.DataType))],
                page.NextToken);
        });
}
