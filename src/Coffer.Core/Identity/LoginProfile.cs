namespace Coffer.Core.Identity;

/// <summary>
/// An IAM user's console password, as stored: only its Argon2id hash (<see cref="PasswordHash"/>),
/// never the password. The user id pins the profile to the user it was made for, so a user deleted
/// and made again under the same name does not inherit it.
/// </summary>
public sealed record LoginProfile(string AccountId, string UserName, string UserId, string PasswordHash, DateTimeOffset CreateDate, bool PasswordResetRequired)
{
    public override string ToString() => $"LoginProfile {{ UserName = {UserName}, CreateDate = {CreateDate:O}, PasswordHash = (redacted) }}";
}
