using Coffer.Core.Access;
using Coffer.Core.Functions;
using Coffer.Core.Kms;

namespace Coffer.Core.Secrets;

public sealed record RotateSecretInput
{
    public string? ClientRequestToken { get; init; }

    public string? RotationLambdaArn { get; init; }

    public RotationRules? RotationRules { get; init; }

    public bool RotateImmediately { get; init; } = true;

    /// <summary>Managed external secrets (partner rotation), which Coffer does not have.</summary>
    public bool ExternalRotation { get; init; }
}

public sealed partial class SecretService
{
    private static readonly string[] AllSteps = ["createSecret", "setSecret", "testSecret", "finishSecret"];

    /// <summary>
    /// Configures rotation and starts one: the AWSPENDING version (VersionId = the token) is
    /// registered now, in the same write as the configuration, and the function's four steps run in
    /// the background. With RotateImmediately false, only the schedule is set and the function's
    /// testSecret step runs against a pending copy of the current value, which is removed after.
    /// </summary>
    public async Task<VersionResult> RotateSecretAsync(Call call, string secretId, RotateSecretInput input, CancellationToken ct)
    {
        if (input.ExternalRotation)
        {
            throw SecretsErrors.InvalidRequest("Coffer has no managed external secrets; rotate with a rotation function (RotationLambdaARN).");
        }

        RotationSchedule.Parse(input.RotationRules);
        var secret = await LoadAsync(call, secretId, "secretsmanager:RotateSecret", ct);
        RequireNotDeleted(secret);
        var functionArn = input.RotationLambdaArn ?? secret.RotationLambdaArn ?? throw SecretsErrors.NoRotationFunction();
        if (!FunctionArns.TryParse(functionArn, out _, out _, out _))
        {
            throw SecretsErrors.InvalidParameter($"RotationLambdaARN {functionArn} is not a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME).");
        }

        call.AddResource(functionArn, "AWS::Lambda::Function");
        await authorizer.AuthorizeAsync(call, new AccessRequest("lambda:InvokeFunction", functionArn), cancellationToken: ct);
        if (!await functions.ExistsAsync(functionArn, ct))
        {
            throw SecretsErrors.CannotInvoke(functionArn);
        }

        RequireNoRotationInProgress(secret);
        var token = input.ClientRequestToken ?? Guid.NewGuid().ToString();
        if (secret.FindVersion(token) is not null)
        {
            throw SecretsErrors.InvalidRequest($"The ClientRequestToken {token} is already the VersionId of a version of this secret; use a new token for a new rotation.");
        }

        var testOnly = !input.RotateImmediately;
        (SecretValueKind Kind, EncryptResult Encrypted)? copy = null;
        if (testOnly && secret.WithStage(SecretStages.Current) is { HasValue: true } currentVersion)
        {
            var value = await DecryptAsync(call, secret, currentVersion, ct);
            copy = (value.Kind, await EncryptAsync(call, secret.KmsKeyId, secret.Arn, token, value, ct));
        }

        var startsRun = !testOnly || copy is not null;
        var updated = await UpdateAsync(call, secretId, "secretsmanager:RotateSecret", async (current, s, ct) =>
        {
            RequireNoRotationInProgress(current);
            var now = time.GetUtcNow();
            var rules = input.RotationRules ?? current.RotationRules;
            var next = current with
            {
                RotationEnabled = true,
                RotationLambdaArn = functionArn,
                RotationRules = rules,
                NextRotation = RotationSchedule.Parse(rules)?.NextWindow(now),
                LastChangedDate = now,
            };
            if (!startsRun)
            {
                return next;
            }

            if (copy is { } c)
            {
                await s.Secrets.InsertValueAsync(current.Arn, token, c.Encrypted.CiphertextBlob, ct);
            }

            await ClaimAsync(s, current.Arn, token, testOnly, ct);

            return await PruneAsync(s, RegisterPending(next, token, now, copy?.Kind, copy?.Encrypted.KeyArn), now, ct);
        }, ct);
        if (startsRun)
        {
            StartInBackground(updated.Arn, token, testOnly);
        }

        return new VersionResult(updated.Arn, updated.Name, testOnly ? null : token, []);
    }

    /// <summary>Turns automatic rotation off. A rotation in progress stops before its next step;
    /// its AWSPENDING version stays for the user to inspect and remove, as in AWS.</summary>
    public async Task<VersionResult> CancelRotateSecretAsync(Call call, string secretId, CancellationToken ct)
    {
        var updated = await UpdateAsync(call, secretId, "secretsmanager:CancelRotateSecret", secret =>
            secret.RotationLambdaArn is null
                ? throw SecretsErrors.NoRotationFunction()
                : secret with { RotationEnabled = false, NextRotation = null, LastChangedDate = time.GetUtcNow() }, ct);
        return new VersionResult(updated.Arn, updated.Name, updated.PendingRotation?.VersionId, []);
    }

    private static void RequireNoRotationInProgress(Secret secret)
    {
        if (secret.PendingRotation is not null)
        {
            throw SecretsErrors.RotationInProgress();
        }
    }

    /// <summary>Adds the version a rotation works on and gives it AWSPENDING.</summary>
    private static Secret RegisterPending(Secret secret, string token, DateTimeOffset now, SecretValueKind? kind, string? keyArn) =>
        MoveStage(secret with { Versions = [.. secret.Versions, NewVersion(token, now, [], kind, keyArn)] }, SecretStages.Pending, token);
}
