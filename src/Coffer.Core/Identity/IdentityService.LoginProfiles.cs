namespace Coffer.Core.Identity;

/// <summary>
/// Login profiles: an IAM user's console password. Only its Argon2id hash is stored; the password
/// itself is a sensitive member in the model, so it never reaches the audit record.
/// </summary>
public sealed partial class IdentityService
{
    public async Task<LoginProfile> CreateLoginProfileAsync(Call call, string? userName, string password, bool resetRequired, CancellationToken ct)
    {
        var name = ProfileUser(call, userName);
        var user = await LoadAsync(call, IamEntityKind.User, name, "iam:CreateLoginProfile", ct);
        PasswordPolicy.Check(password, user.Name);
        var hash = PasswordHasher.Hash(password);
        return await ChangeAsync(call, async (s, ct) =>
        {
            var current = await RequireAsync(s, call, IamEntityKind.User, name, ct);
            if (await s.Iam.FindLoginProfileAsync(call.AccountId, name, ct) is not null)
            {
                throw IdentityErrors.LoginProfileExists(current.Name);
            }

            var profile = new LoginProfile(call.AccountId, current.Name, current.Id, hash, time.GetUtcNow(), resetRequired);
            await s.Iam.PutLoginProfileAsync(profile, ct);
            return profile;
        }, ct);
    }

    public async Task<LoginProfile> GetLoginProfileAsync(Call call, string? userName, CancellationToken ct)
    {
        var name = ProfileUser(call, userName);
        var user = await LoadAsync(call, IamEntityKind.User, name, "iam:GetLoginProfile", ct);
        return await store.ReadAsync((s, ct) => s.Iam.FindLoginProfileAsync(call.AccountId, name, ct), ct) is { } p && p.UserId == user.Id
            ? p
            : throw IdentityErrors.NoLoginProfile(user.Name);
    }

    public async Task UpdateLoginProfileAsync(Call call, string userName, string? password, bool? resetRequired, CancellationToken ct)
    {
        var user = await LoadAsync(call, IamEntityKind.User, userName, "iam:UpdateLoginProfile", ct);
        if (password is not null)
        {
            PasswordPolicy.Check(password, user.Name);
        }

        var hash = password is null ? null : PasswordHasher.Hash(password);
        await ChangeAsync(call, async (s, ct) =>
        {
            var profile = await s.Iam.FindLoginProfileAsync(call.AccountId, userName, ct) ?? throw IdentityErrors.NoLoginProfile(user.Name);
            await s.Iam.PutLoginProfileAsync(profile with
            {
                PasswordHash = hash ?? profile.PasswordHash,
                PasswordResetRequired = resetRequired ?? profile.PasswordResetRequired,
            }, ct);
            return true;
        }, ct);
    }

    public async Task DeleteLoginProfileAsync(Call call, string? userName, CancellationToken ct)
    {
        var name = ProfileUser(call, userName);
        var user = await LoadAsync(call, IamEntityKind.User, name, "iam:DeleteLoginProfile", ct);
        await ChangeAsync(call, async (s, ct) =>
        {
            _ = await s.Iam.FindLoginProfileAsync(call.AccountId, name, ct) ?? throw IdentityErrors.NoLoginProfile(user.Name);
            await s.Iam.DeleteLoginProfileAsync(call.AccountId, name, ct);
            return true;
        }, ct);
    }

    /// <summary>A user changes their own password: the old one must match; the new one must meet the policy.</summary>
    public async Task ChangePasswordAsync(Call call, string oldPassword, string newPassword, CancellationToken ct)
    {
        if (call.Principal.Type != PrincipalType.IamUser || call.Principal.Name is not { } name)
        {
            throw IdentityErrors.InvalidUserType();
        }

        await AuthorizeAsync(call, "iam:ChangePassword", call.Principal.Arn, "AWS::IAM::User", null, ct);
        var profile = await store.ReadAsync((s, ct) => s.Iam.FindLoginProfileAsync(call.AccountId, name, ct), ct);
        if (profile is null || profile.UserId != call.Principal.PrincipalId)
        {
            throw IdentityErrors.NoLoginProfile(name);
        }

        if (!PasswordHasher.Verify(oldPassword, profile.PasswordHash))
        {
            throw IdentityErrors.WrongOldPassword();
        }

        PasswordPolicy.Check(newPassword, name);
        var hash = PasswordHasher.Hash(newPassword);
        await ChangeAsync(call, async (s, ct) =>
        {
            await s.Iam.PutLoginProfileAsync(profile with { PasswordHash = hash, PasswordResetRequired = false }, ct);
            return true;
        }, ct);
    }

    /// <summary>
    /// Checks a user's console password (for sign-in, which throttles and audits around it).
    /// Returns the user, or null when the name, the profile or the password is wrong; an unknown
    /// user costs one hash too, so timing does not tell which names exist.
    /// </summary>
    public async Task<(IamEntity User, LoginProfile Profile)?> CheckPasswordAsync(string accountId, string userName, string password, CancellationToken ct)
    {
        var (user, profile) = await store.ReadAsync(
            async (s, ct) => (await s.Iam.FindAsync(accountId, IamEntityKind.User, userName, ct), await s.Iam.FindLoginProfileAsync(accountId, userName, ct)),
            ct);
        if (user is null || profile is null || profile.UserId != user.Id)
        {
            PasswordHasher.Waste(password);
            return null;
        }

        return PasswordHasher.Verify(password, profile.PasswordHash) ? (user, profile) : null;
    }

    /// <summary>Sign-in's forced change: a profile marked "reset required" takes a new password before a session is issued.</summary>
    public async Task ResetOwnPasswordAsync(Call call, LoginProfile profile, string newPassword, CancellationToken ct)
    {
        PasswordPolicy.Check(newPassword, profile.UserName);
        var hash = PasswordHasher.Hash(newPassword);
        await ChangeAsync(call, async (s, ct) =>
        {
            await s.Iam.PutLoginProfileAsync(profile with { PasswordHash = hash, PasswordResetRequired = false }, ct);
            return true;
        }, ct);
    }

    /// <summary>The user a login-profile call means: the named one, else the calling IAM user.</summary>
    private static string ProfileUser(Call call, string? userName) =>
        userName ?? (call.Principal.Type == PrincipalType.IamUser && call.Principal.Name is { } own
            ? own
            : throw IdentityErrors.Validation("Must specify userName when calling with non-User credentials"));
}
