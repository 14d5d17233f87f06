using System.Text.Json.Nodes;
using Coffer.Core.Audit;
using Coffer.Core.Diagnostics;
using Coffer.Core.Events;
using Coffer.Core.Storage;

namespace Coffer.Core.Secrets;

public sealed partial class SecretService
{
    /// <summary>
    /// Runs a rotation's steps against its function, outside any write: each step is one call with
    /// the function's timeout, and is recorded (audit record and event) once it ends. A failed step
    /// stops the rotation with AWSCURRENT untouched and the AWSPENDING version kept, so the next
    /// window retries it with the same token. <paramref name="register"/>, when given, is applied in
    /// the same write that records the start (a scheduled rotation registers its pending version there).
    /// </summary>
    private async Task RunRotationAsync(string arn, string token, bool testOnly, Func<Secret, IStoreSession, CancellationToken, ValueTask<Secret>>? register, CancellationToken ct)
    {
        // The reads and records are not cancelled: a rotation stopped with the process stops only at a step (see below).
        var secret = await store.ReadAsync((s, ct) => s.Secrets.FindAsync(arn, ct), CancellationToken.None);
        if (secret?.RotationLambdaArn is not { } functionArn)
        {
            return;
        }

        await RecordAsync(secret, "RotationStarted", token, null, null, null, Claiming(token, testOnly, register));
        foreach (var step in testOnly ? ["testSecret"] : AllSteps)
        {
            if (!await IsRotatingAsync(arn, token))
            {
                await RecordAsync(secret, "RotationAbandoned", token, step, null, "The rotation was cancelled, or its AWSPENDING version changed, before this step.", null);
                CofferMetrics.RotationEnded("abandoned", step);
                return;
            }

            try
            {
                await functions.InvokeAsync(functionArn, new RotationEvent(arn, token, step), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var reason = e switch
                {
                    RotationFunctionException or CofferException => e.Message,
                    _ => $"The rotation failed with an internal error ({e.GetType().Name}).",
                };
                if (e is not (RotationFunctionException or CofferException))
                {
                    // The record keeps only the type; the fault itself goes to the log (never a value).
                    LogRotationFailed(_logger, arn, step, e);
                }

                await FailAsync(secret, token, step, reason, testOnly);
                return;
            }

            await RecordAsync(secret, "RotationStep", token, step, null, null, null);
        }

        if (testOnly)
        {
            await RecordAsync(secret, "RotationSucceeded", token, "testSecret", null, null, (s, session, ct) => RemoveVersionAsync(session, s, token, ct));
            CofferMetrics.RotationEnded("succeeded", "testSecret");
            return;
        }

        if ((await store.ReadAsync((s, ct) => s.Secrets.FindAsync(arn, ct), CancellationToken.None))?.FindVersion(token)?.Stages.Contains(SecretStages.Current) != true)
        {
            await FailAsync(secret, token, "finishSecret", $"finishSecret ended without moving AWSCURRENT to version {token}.", testOnly);
            return;
        }

        await RecordAsync(secret, "RotationSucceeded", token, null, null, null, (s, _, _) =>
        {
            var now = time.GetUtcNow();
            var done = s.FindVersion(token) is { } v ? s with { Versions = [.. s.Versions.Select(x => x == v ? x with { Stages = [.. x.Stages.Where(st => st != SecretStages.Pending)] } : x)] } : s;
            return new ValueTask<Secret>(done with { LastRotatedDate = now, NextRotation = RotationSchedule.Parse(s.RotationRules)?.NextWindow(now) });
        });
        CofferMetrics.RotationEnded("succeeded", "finishSecret");
    }

    /// <summary>Records a failed step: AWSCURRENT stays where it is, the pending version stays for the retry at the next window.</summary>
    private async Task FailAsync(Secret secret, string token, string step, string reason, bool testOnly)
    {
        await RecordAsync(secret, "RotationFailed", token, step, "RotationFailed", $"{step} failed: {reason}", async (s, session, ct) =>
        {
            var next = testOnly ? await RemoveVersionAsync(session, s, token, ct) : s;
            return s.RotationEnabled == true ? next with { NextRotation = RotationSchedule.Parse(s.RotationRules)?.NextWindow(time.GetUtcNow()) } : next;
        });
        CofferMetrics.RotationEnded("failed", step);
    }

    private static async ValueTask<Secret> RemoveVersionAsync(IStoreSession session, Secret secret, string versionId, CancellationToken ct)
    {
        await session.Secrets.DeleteValueAsync(secret.Arn, versionId, ct);
        return secret with { Versions = [.. secret.Versions.Where(v => v.VersionId != versionId)] };
    }

    private async Task<bool> IsRotatingAsync(string arn, string token) =>
        await store.ReadAsync((s, ct) => s.Secrets.FindAsync(arn, ct), CancellationToken.None) is { IsDeleted: false, RotationEnabled: true } secret
        && secret.FindVersion(token)?.Stages.Contains(SecretStages.Pending) == true;

    /// <summary>Writes a rotation's service event, its audit record and an optional change of the secret, in one transaction.</summary>
    private Task RecordAsync(Secret secret, string eventName, string? token, string? step, string? errorCode, string? errorMessage, Func<Secret, IStoreSession, CancellationToken, ValueTask<Secret>>? change)
    {
        var now = time.GetUtcNow();
        var parameters = new JsonObject { ["secretId"] = secret.Arn };
        if (token is not null)
        {
            parameters["clientRequestToken"] = token;
            parameters["rotationLambdaARN"] = secret.RotationLambdaArn;
        }

        if (step is not null)
        {
            parameters["step"] = step;
        }

        var call = Call.ByService(EventSource, secret.AccountId, secret.Region, eventName, now, secret.Arn, ResourceType);
        call.RequestParameters = parameters;
        call.Mutates = true;
        var detail = new JsonObject
        {
            ["eventSource"] = EventSource,
            ["eventName"] = eventName,
            ["requestParameters"] = parameters.DeepClone(),
            ["errorCode"] = errorCode,
            ["errorMessage"] = errorMessage,
        };
        var entry = AuditEntry.From(AuditLog.Build(call, errorCode, errorMessage));
        return store.WriteAsync(async (s, ct) =>
        {
            if (change is not null && await s.Secrets.FindAsync(secret.Arn, ct) is { } current)
            {
                await s.Secrets.UpdateAsync(await change(current, s, ct), ct);
            }

            await s.Audit.AppendAsync(entry, ct);
            await s.Events.AppendAsync(ChangeEvents.ServiceEvent("aws.secretsmanager", "AWS Service Event via CloudTrail", secret.AccountId, secret.Region, now, [secret.Arn], detail), ct);
            return true;
        }, CancellationToken.None);
    }

    /// <summary>Starts a rotation in the background, tracked so that a second one for the same secret does not start.</summary>
    private void StartInBackground(string arn, string token, bool testOnly) =>
        _ = RunTrackedAsync(arn, token, testOnly, null);

    /// <summary>Runs a rotation unless one already runs for the secret; completes when it ends.</summary>
    private Task RunTrackedAsync(string arn, string token, bool testOnly, Func<Secret, IStoreSession, CancellationToken, ValueTask<Secret>>? register)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task? run = null;
        run = Task.Run(async () =>
        {
            await gate.Task;
            try
            {
                await RunRotationAsync(arn, token, testOnly, register, _stopping.Token);
                if (!_stopping.IsCancellationRequested)
                {
                    await ReleaseAsync(arn, token);
                }
            }
            finally
            {
                _running.TryRemove(new KeyValuePair<string, Task>(arn, run!));
            }
        });
        if (!_running.TryAdd(arn, run))
        {
            gate.SetCanceled();
            return Task.CompletedTask;
        }

        gate.SetResult();
        return run;
    }
}
