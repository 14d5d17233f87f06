namespace Coffer.Core.Identity;

/// <summary>
/// The console's sessions: a user who signed in with a password gets temporary credentials as
/// GetSessionToken would give them (the user's own permissions, for a short time), and signing out
/// deletes the session's key at once rather than waiting for it to expire.
/// </summary>
public sealed partial class SessionService
{
    /// <summary>How long a console session lasts: AWS's console signs an IAM user in for up to 12 hours; a secrets console keeps it short.</summary>
    public const int ConsoleSessionSeconds = 3600;

    /// <summary>Issues a console session for the call's principal, an IAM user whose password the caller has just checked.</summary>
    public async Task<SessionCredentials> ConsoleSessionAsync(Call call, CancellationToken ct)
    {
        var user = call.Principal;
        if (user.Type != PrincipalType.IamUser || user.Expiration is not null)
        {
            throw CommonErrors.AccessDenied("Only an IAM user signing in with a password gets a console session.");
        }

        var (record, session) = NewSession(call, user.Type, user.Arn, user.PrincipalId, user.Name, ConsoleSessionSeconds);
        await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            await s.AccessKeys.InsertAsync(record, ct);
            return true;
        }, ct);
        return session;
    }

    /// <summary>Ends the calling session: its temporary key is deleted and forgotten, so a copy of it stops working now.</summary>
    public async Task EndSessionAsync(Call call, CancellationToken ct)
    {
        if (call.Principal.Expiration is null || call.Principal.AccessKeyId is not { } keyId)
        {
            throw CommonErrors.Validation("Only temporary credentials can be signed out; long-term keys are deleted with DeleteAccessKey.");
        }

        try
        {
            await audit.WriteChangeAsync(call, async (s, ct) =>
            {
                await s.AccessKeys.DeleteAsync(keyId, ct);
                return true;
            }, ct);
        }
        finally
        {
            credentials.Evict(keyId);
        }
    }
}
