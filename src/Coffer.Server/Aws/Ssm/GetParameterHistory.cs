using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

public sealed record GetParameterHistoryRequest(string Name, bool? WithDecryption, int? MaxResults, string? NextToken);

public sealed record ParameterHistory(
    string Name,
    string Type,
    string? KeyId,
    DateTimeOffset LastModifiedDate,
    string LastModifiedUser,
    string? Description,
    string Value,
    string? AllowedPattern,
    long Version,
    IReadOnlyList<string> Labels,
    string Tier,
    List<ParameterInlinePolicy> Policies,
    string DataType)
{
    /// <summary>No value in it: it may be a decrypted SecureString.</summary>
    public override string ToString() => $"ParameterHistory {{ Name = {Name}, Version = {Version} }}";
}

public sealed record GetParameterHistoryResponse(List<ParameterHistory> Parameters, string? NextToken);

public static class GetParameterHistory
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GetParameterHistory", static () => SsmJson.Default.GetParameterHistoryRequest, static () => SsmJson.Default.GetParameterHistoryResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Parameters.GetParameterHistoryAsync(call, r.Name, r.WithDecryption == true, r.MaxResults, r.NextToken, ct);
            return new GetParameterHistoryResponse(
                [.. page.Items.Select(p => new ParameterHistory(
                    p.Version.Name, p.Version.Type, p.Version.KeyId, p.Version.LastModifiedDate, p.Version.LastModifiedUser, p.Version.Description,
                    p.Value, p.Version.AllowedPattern, p.Version.Version, p.Version.Labels, p.Version.Tier, ParameterInlinePolicy.From(p.Version), p.Version.DataType))],
                page.NextToken);
        });
}
