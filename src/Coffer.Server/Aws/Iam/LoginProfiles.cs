using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Iam;

/// <summary>The request members of the login-profile operations; the passwords are redacted from every printout.</summary>
public sealed record LoginProfileRequest(string? UserName, string? Password, bool? PasswordResetRequired)
{
    public override string ToString() => $"LoginProfileRequest {{ UserName = {UserName}, Password = (redacted) }}";
}

public sealed record ChangePasswordRequest(string? OldPassword, string? NewPassword)
{
    public override string ToString() => "ChangePasswordRequest { (redacted) }";
}

public sealed record LoginProfileShape(string UserName, DateTimeOffset CreateDate, bool PasswordResetRequired)
{
    public static LoginProfileShape From(Core.Identity.LoginProfile p) => new(p.UserName, p.CreateDate, p.PasswordResetRequired);
}

public sealed record LoginProfileResponse(LoginProfileShape LoginProfile);

/// <summary>CreateLoginProfile, GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile, ChangePassword.</summary>
public static class LoginProfiles
{
    public static JsonOperation CreateLoginProfile { get; } = JsonOperation.Create(
        "CreateLoginProfile", static () => IamJson.Default.LoginProfileRequest, static () => IamJson.Default.LoginProfileResponse,
        async (s, call, r, ct) => new LoginProfileResponse(LoginProfileShape.From(
            await s.Identity.CreateLoginProfileAsync(call, r.UserName, r.Password ?? throw Core.Identity.IdentityErrors.Validation("Password is required."), r.PasswordResetRequired ?? false, ct))));

    public static JsonOperation GetLoginProfile { get; } = JsonOperation.Create(
        "GetLoginProfile", static () => IamJson.Default.LoginProfileRequest, static () => IamJson.Default.LoginProfileResponse,
        async (s, call, r, ct) => new LoginProfileResponse(LoginProfileShape.From(await s.Identity.GetLoginProfileAsync(call, r.UserName, ct))));

    public static JsonOperation UpdateLoginProfile { get; } = JsonOperation.Create(
        "UpdateLoginProfile", static () => IamJson.Default.LoginProfileRequest, static () => IamJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Identity.UpdateLoginProfileAsync(call, r.UserName!, r.Password, r.PasswordResetRequired, ct);
            return new Empty();
        });

    public static JsonOperation DeleteLoginProfile { get; } = JsonOperation.Create(
        "DeleteLoginProfile", static () => IamJson.Default.LoginProfileRequest, static () => IamJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Identity.DeleteLoginProfileAsync(call, r.UserName, ct);
            return new Empty();
        });

    public static JsonOperation ChangePassword { get; } = JsonOperation.Create(
        "ChangePassword", static () => IamJson.Default.ChangePasswordRequest, static () => IamJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Identity.ChangePasswordAsync(call, r.OldPassword!, r.NewPassword!, ct);
            return new Empty();
        });
}
