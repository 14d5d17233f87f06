using Coffer.Core.Storage;

namespace Coffer.Core.Secrets;

/// <summary>
/// Who runs each rotation in flight (issue 10). A rotation, whether RotateSecret or the schedule
/// started it, is claimed for this node in the write that records its start, heartbeat while it
/// runs, and released when it ends. The node that runs scheduled work adopts a rotation whose owner
/// has not heartbeat for <see cref="RotationOwnerLost"/> (the owner died, or the process restarted)
/// and runs it again from its first step with the same ClientRequestToken, as a scheduled rotation is
/// retried: the function's steps are idempotent for a token, and AWSCURRENT moves only in finishSecret.
/// </summary>
public sealed partial class SecretService
{
    /// <summary>This process, as the owner of the rotations it runs.</summary>
    private readonly string _owner = Guid.NewGuid().ToString("N");
    private readonly Lock _heartbeatGate = new();
    private Task? _heartbeat;

    /// <summary>How often this node says it still runs its rotations.</summary>
    public TimeSpan RotationHeartbeat { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a rotation's owner may be silent before the scheduler adopts it: a few heartbeats.</summary>
    public TimeSpan RotationOwnerLost => RotationHeartbeat * 3;

    /// <summary>Claims a rotation for this node, in the write that registers its AWSPENDING version.</summary>
    private ValueTask ClaimAsync(IStoreSession session, string arn, string token, bool testOnly, CancellationToken ct)
    {
        EnsureHeartbeat();
        return session.Rotations.ClaimAsync(new RotationInFlight(arn, token, testOnly, _owner, time.GetUtcNow()), ct);
    }

    /// <summary>Applied in the write that records a rotation's start: claims it for this node, then makes <paramref name="register"/>'s change.</summary>
    private Func<Secret, IStoreSession, CancellationToken, ValueTask<Secret>> Claiming(string token, bool testOnly, Func<Secret, IStoreSession, CancellationToken, ValueTask<Secret>>? register)
    {
        return async (secret, session, ct) =>
        {
            await ClaimAsync(session, secret.Arn, token, testOnly, ct);
            return register is null ? secret : await register(secret, session, ct);
        };
    }

    /// <summary>Forgets a rotation that ended here (succeeded, failed or abandoned); one that was stopped with the process stays, to be adopted.</summary>
    private Task ReleaseAsync(string arn, string token) =>
        store.WriteAsync(
            async (s, ct) =>
            {
                await s.Rotations.ReleaseAsync(arn, token, ct);
                return true;
            },
            CancellationToken.None);

    /// <summary>
    /// Adopts the rotations whose owner went silent and runs each again with its token; a rotation
    /// that has nothing left to do (its secret gone, rotation cancelled, AWSPENDING moved) is only
    /// forgotten. Returns the rotations it started, for the round to wait on.
    /// </summary>
    private async Task<List<Task>> AdoptSilentRotationsAsync(DateTimeOffset now)
    {
        var adopted = new List<Task>();
        foreach (var silent in await store.ReadAsync((s, ct) => s.Rotations.FindStaleAsync(now - RotationOwnerLost, 100, ct), CancellationToken.None))
        {
            if (_running.ContainsKey(silent.Arn))
            {
                continue;
            }

            var claimed = await store.WriteAsync(async (s, ct) =>
            {
                if (await s.Rotations.FindAsync(silent.Arn, ct) is not { } current || current != silent)
                {
                    return false; // claimed or ended since it was read
                }

                if (await s.Secrets.FindAsync(silent.Arn, ct) is not { IsDeleted: false, RotationEnabled: true } secret
                    || secret.FindVersion(silent.Token)?.Stages.Contains(SecretStages.Pending) != true)
                {
                    await s.Rotations.ReleaseAsync(silent.Arn, silent.Token, ct);
                    return false;
                }

                await s.Rotations.ClaimAsync(silent with { Owner = _owner, HeartbeatAt = now }, ct);
                return true;
            }, CancellationToken.None);
            if (claimed)
            {
                adopted.Add(RunTrackedAsync(silent.Arn, silent.Token, silent.TestOnly, null));
            }
        }

        return adopted;
    }

    private void EnsureHeartbeat()
    {
        lock (_heartbeatGate)
        {
            _heartbeat ??= Task.Run(HeartbeatAsync);
        }
    }

    private async Task HeartbeatAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(RotationHeartbeat, time, _stopping.Token);
                // Only the rotations that run here: one whose run ended without releasing it goes silent, to be adopted.
                if (_running.Keys.ToList() is { Count: > 0 } running)
                {
                    try
                    {
                        await store.WriteAsync(async (s, ct) =>
                        {
                            foreach (var arn in running)
                            {
                                await s.Rotations.HeartbeatAsync(arn, _owner, time.GetUtcNow(), ct);
                            }

                            return true;
                        }, _stopping.Token);
                    }
                    catch (CofferException)
                    {
                        // The store is away; the next beat tries again (a bound of several beats allows for it).
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the rotations stopped with the process stay claimed by it until adopted.
        }
    }
}
