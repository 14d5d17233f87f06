using System.Text.Json.Nodes;
using Coffer.Core.Events;

namespace Coffer.Core.Kms;

public sealed partial class KeyService
{
    /// <summary>
    /// Carries out what is due at <paramref name="now"/>: keys whose deletion window has ended are
    /// destroyed, material and all, and keys due for automatic rotation get new material. Each
    /// action is its own transaction with its audit record and event. Returns how many it did.
    /// </summary>
    public async Task<int> RunDueWorkAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var done = 0;
        foreach (var due in await store.ReadAsync((s, c) => s.Kms.FindDueAsync(now, 100, c), ct))
        {
            if (due.State == KeyState.PendingDeletion && due.DeletionDate <= now)
            {
                await PurgeAsync(due, now, ct);
                done++;
            }
            else if (due.State == KeyState.Enabled && due.RotationEnabled && due.NextRotationDate <= now)
            {
                await RotateOnScheduleAsync(due, now, ct);
                done++;
            }
            else if (due is { MaterialImported: true, ValidTo: { } validTo } && validTo <= now)
            {
                await ExpireImportedMaterialAsync(due, now, ct);
                done++;
            }
        }

        return done;
    }

    private async Task PurgeAsync(KmsKey key, DateTimeOffset now, CancellationToken ct)
    {
        var call = ServiceCall(key, "DeleteKey", now);
        await audit.WriteChangeAsync(call, async (s, c) =>
        {
            var current = await s.Kms.FindKeyAsync(key.KeyId, key.Region, c);
            if (current is { State: KeyState.PendingDeletion } && current.DeletionDate <= now)
            {
                await s.Kms.DeleteKeyAsync(key.KeyId, key.Region, c);
                if (current.MultiRegion)
                {
                    await ForgetReplicaAsync(s, current, c);
                }

                await s.Events.AppendAsync(ChangeEvents.ServiceEvent("aws.kms", "KMS CMK Deletion", key.AccountId, key.Region, now, [key.Arn], new JsonObject { ["key-id"] = key.Id }), c);
            }

            return true;
        }, ct);
        foreach (var cached in _materials.Keys.Where(k => k.KeyId == key.KeyId).ToList())
        {
            _materials.TryRemove(cached, out _);
        }
    }

    private Task RotateOnScheduleAsync(KmsKey key, DateTimeOffset now, CancellationToken ct)
    {
        var call = ServiceCall(key, "RotateKey", now);
        return audit.WriteChangeAsync(call, async (s, c) =>
        {
            var current = await s.Kms.FindKeyAsync(key.KeyId, key.Region, c);
            if (current is { State: KeyState.Enabled, RotationEnabled: true } && current.NextRotationDate <= now)
            {
                var rotated = await AddRotationAsync(s, current, "AUTOMATIC", c);
                await s.Kms.UpdateKeyAsync(rotated, c);
                await ShareRotationAsync(s, rotated, c);
                await s.Events.AppendAsync(ChangeEvents.ServiceEvent("aws.kms", "KMS CMK Rotation", key.AccountId, key.Region, now, [key.Arn], new JsonObject { ["key-id"] = key.Id }), c);
            }

            return true;
        }, ct);
    }

    /// <summary>Deletes imported key material whose ValidTo has passed, as AWS does: the key waits for a new import.</summary>
    private async Task ExpireImportedMaterialAsync(KmsKey key, DateTimeOffset now, CancellationToken ct)
    {
        var call = ServiceCall(key, "DeleteExpiredKeyMaterial", now);
        await audit.WriteChangeAsync(call, async (s, c) =>
        {
            var current = await s.Kms.FindKeyAsync(key.KeyId, key.Region, c);
            if (current is { MaterialImported: true, ValidTo: { } validTo } && validTo <= now)
            {
                await s.Kms.UpdateKeyAsync(await RemoveImportedMaterialAsync(s, current, c), c);
                await s.Events.AppendAsync(ChangeEvents.ServiceEvent("aws.kms", "KMS Imported Key Material Expiration", key.AccountId, key.Region, now, [key.Arn], new JsonObject { ["key-id"] = key.Id }), c);
            }

            return true;
        }, ct);
        ForgetMaterial(key.KeyId);
    }

    private static Call ServiceCall(KmsKey key, string eventName, DateTimeOffset now) =>
        Call.ByService("kms.amazonaws.com", key.AccountId, key.Region, eventName, now, key.Arn, ResourceType);
}
