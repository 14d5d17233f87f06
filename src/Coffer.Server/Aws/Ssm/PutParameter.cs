using Coffer.Core.Kms;
using Coffer.Core.Parameters;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

public sealed record PutParameterRequest(
    string Name,
    string? Description,
    string Value,
    string? Type,
    string? KeyId,
    bool? Overwrite,
    string? AllowedPattern,
    List<Tag>? Tags,
    string? Tier,
    string? Policies,
    string? DataType)
{
    /// <summary>No secret in it: the value is left out.</summary>
    public override string ToString() => $"PutParameterRequest {{ Name = {Name}, Type = {Type} }}";
}

public sealed record PutParameterResponse(long Version, string Tier);

public static class PutParameter
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "PutParameter", static () => SsmJson.Default.PutParameterRequest, static () => SsmJson.Default.PutParameterResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Parameters.PutParameterAsync(call, new PutParameterInput
            {
                Name = r.Name,
                Value = r.Value,
                Type = r.Type,
                Description = r.Description,
                KeyId = r.KeyId,
                Overwrite = r.Overwrite == true,
                AllowedPattern = r.AllowedPattern,
                Tags = r.Tags?.Select(t => new ResourceTag(t.Key, t.Value)).ToList(),
                Tier = r.Tier,
                Policies = r.Policies,
                DataType = r.DataType,
            }, ct);
            return new PutParameterResponse(result.Version, result.Tier);
        });
}
