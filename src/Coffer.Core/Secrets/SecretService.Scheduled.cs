using Coffer.Core.Storage;

namespace Coffer.Core.Secrets;

public sealed partial class SecretService
{
    /// <summary>
    /// Carries out what is due now: secrets whose recovery window has ended are purged with every
    /// version, and secrets whose rotation window is open are rotated (retrying a failed rotation with
    /// its pending version's token). Rotations run concurrently, outside any write; a window that
    /// ended before its rotation could start moves to the next one. Returns how many actions it took.
    /// </summary>
    public async Task<int> RunDueWorkAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var rotations = new List<Task>();
        var done = 0;
        foreach (var due in await store.ReadAsync((s, ct) => s.Secrets.FindDueAsync(now, 100, ct), ct))
        {
            if (due.IsDeleted)
            {
                if (due.DeletionDate <= now)
                {
                    await RecordAsync(due, "DeleteSecret", null, null, null, null, async (s, session, ct) =>
                    {
                        await session.Secrets.DeleteAsync(s.Arn, ct);
                        return s;
                    });
                    done++;
                }
            }
            else if (due is { RotationEnabled: true, NextRotation: { } window } && window.Start <= now && !_running.ContainsKey(due.Arn))
            {
                done++;
                if (now >= window.End)
                {
                    await RecordAsync(due, "RotationAbandoned", null, null, null, "The rotation window ended before the rotation could start; it moves to the next window.",
                        (s, _, _) => new ValueTask<Secret>(s with { NextRotation = RotationSchedule.Parse(s.RotationRules)?.NextWindow(now) }));
                }
                else
                {
                    rotations.Add(RotateOnScheduleAsync(due, now));
                }
            }
        }

        var adopted = await AdoptSilentRotationsAsync(now);
        await Task.WhenAll([.. rotations, .. adopted]);
        return done + adopted.Count;
    }

    private Task RotateOnScheduleAsync(Secret secret, DateTimeOffset now)
    {
        if (secret.PendingRotation is { } pending)
        {
            return RunTrackedAsync(secret.Arn, pending.VersionId, testOnly: false, null);
        }

        var token = Guid.NewGuid().ToString();
        return RunTrackedAsync(secret.Arn, token, testOnly: false, (s, session, ct) =>
            s.PendingRotation is null && s.FindVersion(token) is null ? PruneAsync(session, RegisterPending(s, token, now, null, null), now, ct) : new ValueTask<Secret>(s));
    }
}
