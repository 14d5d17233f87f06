using System.Text.Json.Nodes;
using Coffer.Core.Events;
using Coffer.Core.Storage;

namespace Coffer.Core.Kms;

public sealed record KeyRotationStatus(bool Enabled, string KeyArn, int? RotationPeriodInDays, DateTimeOffset? NextRotationDate, DateTimeOffset? OnDemandRotationStartDate);

public sealed record KeyMaterialEntry(string KeyArn, string KeyMaterialId, int Version, DateTimeOffset? RotationDate, string? RotationType, bool Current);

public sealed partial class KeyService
{
    /// <summary>AWS's quota of on-demand rotations per key.</summary>
    public const int MaxOnDemandRotations = 25;

    public Task EnableKeyRotationAsync(Call call, string keyId, int? rotationPeriodInDays, CancellationToken ct)
    {
        var days = rotationPeriodInDays ?? 365;
        return UpdateKeyAsync(call, keyId, "kms:EnableKeyRotation", key =>
        {
            RequireCustomerManaged(key);
            RequireRotatable(key);
            RequireUsable(key);
            return key with { RotationEnabled = true, RotationPeriodInDays = days, NextRotationDate = time.GetUtcNow().AddDays(days) };
        }, ct);
    }

    public Task DisableKeyRotationAsync(Call call, string keyId, CancellationToken ct) =>
        UpdateKeyAsync(call, keyId, "kms:DisableKeyRotation", key =>
        {
            RequireCustomerManaged(key);
            RequireRotatable(key);
            RequireUsable(key);
            return key with { RotationEnabled = false, RotationPeriodInDays = null, NextRotationDate = null };
        }, ct);

    public async Task<KeyRotationStatus> GetKeyRotationStatusAsync(Call call, string keyId, CancellationToken ct)
    {
        var key = await ResolveAsync(call, keyId, ct);
        await AuthorizeAsync(call, key, "kms:GetKeyRotationStatus", ct: ct);
        RequireNotPendingDeletion(key);
        var holder = await RotationHolderAsync(key, ct);
        return new KeyRotationStatus(holder.RotationEnabled, key.Arn, holder.RotationPeriodInDays, holder.NextRotationDate, holder.OnDemandRotationStartDate);
    }

    /// <summary>Adds key material now. Coffer rotates at once, so no rotation is ever left in progress.</summary>
    public Task<KmsKey> RotateKeyOnDemandAsync(Call call, string keyId, CancellationToken ct) =>
        UpdateKeyAsync(call, keyId, "kms:RotateKeyOnDemand", async (key, s, c) =>
        {
            RequireCustomerManaged(key);
            RequireRotatable(key);
            RequireUsable(key);
            if (key.Rotations.Count(r => r.RotationType == "ON_DEMAND") >= MaxOnDemandRotations)
            {
                throw KmsErrors.LimitExceeded($"{key.Arn} has been rotated on demand {MaxOnDemandRotations} times, the most a key allows.");
            }

            var rotated = await AddRotationAsync(s, key, "ON_DEMAND", c);
            await ShareRotationAsync(s, rotated, c);
            return rotated;
        }, ct);

    public async Task<Page<KeyMaterialEntry>> ListKeyRotationsAsync(Call call, string keyId, string? includeKeyMaterial, int? limit, string? marker, CancellationToken ct)
    {
        var key = await ResolveAsync(call, keyId, ct);
        await AuthorizeAsync(call, key, "kms:ListKeyRotations", ct: ct);
        var entries = new List<KeyMaterialEntry>();
        if (includeKeyMaterial == "ALL_KEY_MATERIAL")
        {
            entries.Add(Entry(key, 1, null, null));
        }

        entries.AddRange(key.Rotations.Select(r => Entry(key, r.MaterialVersion, r.RotationDate, r.RotationType)));
        return Paginate(entries, limit ?? 100, marker);
    }

    private static KeyMaterialEntry Entry(KmsKey key, int version, DateTimeOffset? date, string? type) =>
        new(key.Arn, KeyMaterialId(key.KeyId, version), version, date, type, version == key.CurrentMaterialVersion);

    /// <summary>Adds a material version; new encryptions use it, old ciphertexts keep decrypting with theirs.</summary>
    private async ValueTask<KmsKey> AddRotationAsync(IStoreSession s, KmsKey key, string type, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var version = key.CurrentMaterialVersion + 1;
        await AddMaterialAsync(s, key.KeyId, version, now, ct);
        return key with
        {
            CurrentMaterialVersion = version,
            Rotations = [.. key.Rotations, new KeyRotation(version, now, type)],
            OnDemandRotationStartDate = type == "ON_DEMAND" ? now : key.OnDemandRotationStartDate,
            NextRotationDate = key.RotationEnabled && type == "AUTOMATIC" && key.RotationPeriodInDays is { } days ? now.AddDays(days) : key.NextRotationDate,
        };
    }
}
