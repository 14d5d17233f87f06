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
    private void Claim(IStoreSession session, string arn, string token, bool testOnly)
    {
        EnsureHeartbeat();
        session.Rotations.Claim(new RotationInFlight(arn, token, testOnly, _owner, time.GetUtcNow()));
    }

    /// <summary>Applied in the write that records a rotation's start: claims it for this node, then makes <paramref name="register"/>'s change.</summary>
    private Func<Secret, IStoreSession, Secret> Claiming(string token, bool testOnly, Func<Secret, IStoreSession, Secret>? register)
    {
        return (secret, session) =>
        {
            Claim(session, secret.Arn, token, testOnly);
            return register is null ? secret : register(secret, session);
        };
    }

    /// <summary>Forgets a rotation that ended here (succeeded, failed or abandoned); one that was stopped with the process stays, to be adopted.</summary>
    private Task ReleaseAsync(string arn, string token) =>
        store.WriteAsync(s => s.Rotations.Release(arn, token), CancellationToken.None);

    /// <summary>
    /// Adopts the rotations whose owner went silent and runs each again with its token; a rotation
    /// that has nothing left to do (its secret gone, rotation cancelled, AWSPENDING moved) is only
    /// forgotten. Returns the rotations it started, for the round to wait on.
    /// </summary>
    private async Task<List<Task>> AdoptSilentRotationsAsync(DateTimeOffset now)
    {
        var adopted = new List<Task>();
        foreach (var silent in store.Read(s => s.Rotations.FindStale(now - RotationOwnerLost, 100)))
        {
            if (_running.ContainsKey(silent.Arn))
            {
                continue;
            }

            var claimed = await store.WriteAsync(s =>
            {
                if (s.Rotations.Find(silent.Arn) is not { } current || current != silent)
                {
                    return false; // claimed or ended since it was read
                }

                if (s.Secrets.Find(silent.Arn) is not { IsDeleted: false, RotationEnabled: true } secret
                    || secret.FindVersion(silent.Token)?.Stages.Contains(SecretStages.Pending) != true)
                {
                    s.Rotations.Release(silent.Arn, silent.Token);
                    return false;
                }

                s.Rotations.Claim(silent with { Owner = _owner, HeartbeatAt = now });
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
                        await store.WriteAsync(s =>
                        {
                            foreach (var arn in running)
                            {
                                s.Rotations.Heartbeat(arn, _owner, time.GetUtcNow());
                            }
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
