using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

public sealed record SettingIdRequest(string SettingId);

public sealed record UpdateServiceSettingRequest(string SettingId, string SettingValue);

public sealed record ServiceSettingShape(string SettingId, string SettingValue, DateTimeOffset? LastModifiedDate, string? LastModifiedUser, string ARN, string Status)
{
    public static ServiceSettingShape From(Core.Parameters.ServiceSetting s) => new(s.SettingId, s.SettingValue, s.LastModifiedDate, s.LastModifiedUser, s.Arn, s.Status);
}

public sealed record ServiceSettingResponse(ServiceSettingShape ServiceSetting);

/// <summary>GetServiceSetting, UpdateServiceSetting and ResetServiceSetting: three small operations on one shape.</summary>
public static class ServiceSettings
{
    public static JsonOperation Get { get; } = JsonOperation.Create(
        "GetServiceSetting", static () => SsmJson.Default.SettingIdRequest, static () => SsmJson.Default.ServiceSettingResponse,
        async (s, call, r, ct) => new ServiceSettingResponse(ServiceSettingShape.From(await s.Parameters.GetServiceSettingAsync(call, r.SettingId, ct))));

    public static JsonOperation Update { get; } = JsonOperation.Create(
        "UpdateServiceSetting", static () => SsmJson.Default.UpdateServiceSettingRequest, static () => SsmJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Parameters.UpdateServiceSettingAsync(call, r.SettingId, r.SettingValue, ct);
            return new Empty();
        });

    public static JsonOperation Reset { get; } = JsonOperation.Create(
        "ResetServiceSetting", static () => SsmJson.Default.SettingIdRequest, static () => SsmJson.Default.ServiceSettingResponse,
        async (s, call, r, ct) => new ServiceSettingResponse(ServiceSettingShape.From(await s.Parameters.ResetServiceSettingAsync(call, r.SettingId, ct))));
}
