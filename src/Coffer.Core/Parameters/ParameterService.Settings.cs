using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coffer.Core.Parameters;

/// <summary>A service setting as GetServiceSetting shows it.</summary>
public sealed record ServiceSetting(string SettingId, string SettingValue, DateTimeOffset? LastModifiedDate, string? LastModifiedUser, string Arn, string Status);

/// <summary>A customized setting as kept in the store's settings (meta) table.</summary>
public sealed record StoredServiceSetting(string Value, DateTimeOffset LastModifiedDate, string LastModifiedUser);

[JsonSerializable(typeof(StoredServiceSetting))]
internal sealed partial class ServiceSettingJson : JsonSerializerContext;

/// <summary>
/// GetServiceSetting, UpdateServiceSetting, ResetServiceSetting for Parameter Store's two settings:
/// <c>/ssm/parameter-store/default-parameter-tier</c> (the tier of a new parameter put without one) and
/// <c>/ssm/parameter-store/high-throughput-enabled</c> (kept and shown; Coffer's throughput does not depend
/// on it). Settings of the rest of Systems Manager are ServiceSettingNotFound. A setting belongs to an
/// account and Region, and is kept in the store's settings table, one row per customized setting.
/// </summary>
public sealed partial class ParameterService
{
    private const string SettingPrefix = "/ssm/parameter-store/";
    private const string DefaultTierSetting = SettingPrefix + "default-parameter-tier";
    private const string HighThroughputSetting = SettingPrefix + "high-throughput-enabled";

    private static readonly Dictionary<string, (string Default, string[] Allowed)> Settings = new(StringComparer.Ordinal)
    {
        [DefaultTierSetting] = (ParameterTiers.Standard, [ParameterTiers.Standard, ParameterTiers.Advanced, ParameterTiers.IntelligentTiering]),
        [HighThroughputSetting] = ("false", ["true", "false"]),
    };

    public async Task<ServiceSetting> GetServiceSettingAsync(Call call, string settingId, CancellationToken ct)
    {
        var (id, arn) = Setting(call, settingId);
        await AuthorizeAsync(call, "ssm:GetServiceSetting", arn, ct);
        return Show(id, arn, await store.ReadAsync((s, c) => s.Meta.GetAsync(MetaKey(call, id), c), ct));
    }

    public async Task UpdateServiceSettingAsync(Call call, string settingId, string value, CancellationToken ct)
    {
        var (id, arn) = Setting(call, settingId);
        await AuthorizeAsync(call, "ssm:UpdateServiceSetting", arn, ct);
        if (!Settings[id].Allowed.Contains(value, StringComparer.Ordinal))
        {
            throw SsmErrors.Validation($"The value {value} is not valid for the service setting {id}. Valid values: {string.Join(", ", Settings[id].Allowed)}.");
        }

        var stored = new StoredServiceSetting(value, time.GetUtcNow(), call.Principal.Arn);
        await audit.WriteChangeAsync(call, async (s, c) =>
        {
            await s.Meta.SetAsync(MetaKey(call, id), JsonSerializer.Serialize(stored, ServiceSettingJson.Default.StoredServiceSetting), c);
            return true;
        }, ct);
    }

    /// <summary>Puts the setting back to its default; the store's settings table has no delete, so the default is written as customized-by-nobody.</summary>
    public async Task<ServiceSetting> ResetServiceSettingAsync(Call call, string settingId, CancellationToken ct)
    {
        var (id, arn) = Setting(call, settingId);
        await AuthorizeAsync(call, "ssm:ResetServiceSetting", arn, ct);
        await audit.WriteChangeAsync(call, async (s, c) =>
        {
            await s.Meta.SetAsync(MetaKey(call, id), "", c);
            return true;
        }, ct);
        return Show(id, arn, null);
    }

    /// <summary>The tier the account's default-parameter-tier setting gives a new parameter; null when it is not customized.</summary>
    private async ValueTask<string?> DefaultTierAsync(Call call, CancellationToken ct) =>
        await store.ReadAsync((s, c) => s.Meta.GetAsync(MetaKey(call, DefaultTierSetting), c), ct) is { Length: > 0 } json
            ? JsonSerializer.Deserialize(json, ServiceSettingJson.Default.StoredServiceSetting)!.Value
            : null;

    private static ServiceSetting Show(string id, string arn, string? json)
    {
        if (json is not { Length: > 0 })
        {
            return new ServiceSetting(id, Settings[id].Default, null, null, arn, "Default");
        }

        var stored = JsonSerializer.Deserialize(json, ServiceSettingJson.Default.StoredServiceSetting)!;
        return new ServiceSetting(id, stored.Value, stored.LastModifiedDate, stored.LastModifiedUser, arn, "Customized");
    }

    /// <summary>A SettingId as the setting's path or its ARN (<c>arn:aws:ssm:REGION:ACCOUNT:servicesetting/ssm/...</c>).</summary>
    private static (string Id, string Arn) Setting(Call call, string settingId)
    {
        var id = settingId;
        if (settingId.StartsWith("arn:", StringComparison.Ordinal))
        {
            id = Aws.Arn.TryParse(settingId, out var arn) && arn.Value.Service == "ssm" && arn.Value.Account == call.AccountId
                && arn.Value.Region == call.Region && arn.Value.Resource.StartsWith("servicesetting/", StringComparison.Ordinal)
                ? arn.Value.Resource["servicesetting".Length..]
                : throw SsmErrors.ServiceSettingNotFound(settingId);
        }

        return Settings.ContainsKey(id)
            ? (id, Aws.Arn.For("ssm", call.Region, call.AccountId, "servicesetting" + id).ToString())
            : throw SsmErrors.ServiceSettingNotFound(settingId);
    }

    private static string MetaKey(Call call, string id) => $"ssm-service-setting:{call.AccountId}:{call.Region}:{id}";
}
