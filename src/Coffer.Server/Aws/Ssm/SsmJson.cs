using System.Text.Json.Serialization;
using Coffer.Core.Parameters;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

/// <summary>The SSM wire shapes that several Parameter Store operations share.</summary>
public sealed record Parameter(string Name, string Type, string Value, long? Version, string? Selector, string? SourceResult, DateTimeOffset LastModifiedDate, string ARN, string DataType)
{
    /// <summary>A Secrets Manager reference has no Parameter Store version; AWS leaves Version out.</summary>
    public static Parameter From(ParameterValue p) =>
        new(p.Version.Name, p.Version.Type, p.Value, p.SourceResult is null ? p.Version.Version : null, p.Selector, p.SourceResult, p.Version.LastModifiedDate, p.Arn, p.Version.DataType);

    /// <summary>No value in it: it may be a decrypted SecureString.</summary>
    public override string ToString() => $"Parameter {{ Name = {Name}, Version = {Version} }}";
}

public sealed record ParameterInlinePolicy(string PolicyText, string PolicyType, string PolicyStatus)
{
    public static List<ParameterInlinePolicy> From(ParameterVersion v) => [.. v.Policies.Select(p => new ParameterInlinePolicy(p.Text, p.Type, p.Status))];
}

public sealed record Tag(string Key, string Value);

public sealed record ParameterStringFilter(string Key, string? Option, List<string>? Values)
{
    public static List<ParameterFilter> ToDomain(List<ParameterStringFilter>? filters) =>
        [.. (filters ?? []).Select(f => new ParameterFilter(f.Key, f.Option, f.Values ?? []))];
}

public sealed record NameRequest(string Name);

public sealed record NamesRequest(List<string> Names);

/// <summary>Source-generated serialization for every Parameter Store request and response.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(Empty))]
[JsonSerializable(typeof(PutResourcePolicyRequest))]
[JsonSerializable(typeof(PutResourcePolicyResponse))]
[JsonSerializable(typeof(GetResourcePoliciesRequest))]
[JsonSerializable(typeof(GetResourcePoliciesResponse))]
[JsonSerializable(typeof(DeleteResourcePolicyRequest))]
[JsonSerializable(typeof(SettingIdRequest))]
[JsonSerializable(typeof(UpdateServiceSettingRequest))]
[JsonSerializable(typeof(ServiceSettingResponse))]
[JsonSerializable(typeof(NameRequest))]
[JsonSerializable(typeof(NamesRequest))]
[JsonSerializable(typeof(PutParameterRequest))]
[JsonSerializable(typeof(PutParameterResponse))]
[JsonSerializable(typeof(GetParameterRequest))]
[JsonSerializable(typeof(GetParameterResponse))]
[JsonSerializable(typeof(GetParametersRequest))]
[JsonSerializable(typeof(GetParametersResponse))]
[JsonSerializable(typeof(GetParametersByPathRequest))]
[JsonSerializable(typeof(GetParametersByPathResponse))]
[JsonSerializable(typeof(GetParameterHistoryRequest))]
[JsonSerializable(typeof(GetParameterHistoryResponse))]
[JsonSerializable(typeof(DeleteParametersResponse))]
[JsonSerializable(typeof(DescribeParametersRequest))]
[JsonSerializable(typeof(DescribeParametersResponse))]
[JsonSerializable(typeof(LabelParameterVersionRequest))]
[JsonSerializable(typeof(LabelParameterVersionResponse))]
[JsonSerializable(typeof(UnlabelParameterVersionRequest))]
[JsonSerializable(typeof(UnlabelParameterVersionResponse))]
[JsonSerializable(typeof(AddTagsToResourceRequest))]
[JsonSerializable(typeof(ListTagsForResourceRequest))]
[JsonSerializable(typeof(ListTagsForResourceResponse))]
[JsonSerializable(typeof(RemoveTagsFromResourceRequest))]
public sealed partial class SsmJson : JsonSerializerContext;
