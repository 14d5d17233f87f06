using System.Text.Json;
using Coffer.Core;
using Coffer.Core.Identity;
using Coffer.Core.Pipeline;
using Coffer.Server.Auth;
using Coffer.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Console;

public sealed record SignInRequest(string? UserName, string? Password, string? NewPassword)
{
    public override string ToString() => $"SignInRequest {{ UserName = {UserName}, Password = (redacted) }}";
}

public sealed partial class ConsoleEndpoints
{
    /// <summary>The source CloudTrail names for console sign-in events.</summary>
    public const string SignInSource = "signin.amazonaws.com";

    /// <summary>CloudTrail's user name for a failed sign-in with a name that does not exist (it may be a mistyped password).</summary>
    public const string HiddenUserName = "HIDDEN_DUE_TO_SECURITY_REASONS";

    private const int MaxBodyBytes = 4096;

    /// <summary>Argon2id takes memory: at most two password checks at a time, so a flood cannot exhaust it.</summary>
    private static readonly SemaphoreSlim Hashing = new(2, 2);

    private async Task SignInAsync(HttpContext context)
    {
        var input = await ReadAsync(context, ConsoleJson.Default.SignInRequest);
        if (input is not { UserName.Length: > 0 and <= 64, Password.Length: > 0 and <= 128 })
        {
            await WriteErrorAsync(context, 400, "ValidationError", "Give a user name (1 to 64 characters) and a password (1 to 128).");
            return;
        }

        var address = context.Connection.RemoteIpAddress;
        if (!throttle.TryAcquireAddress(address) || !throttle.TryPassSignIn(input.UserName, address))
        {
            Log.SignInThrottled(logger, address?.ToString());
            await WriteErrorAsync(context, 429, "ThrottlingException", "Too many failed sign-ins for this user or from this address; wait a minute.");
            return;
        }

        (IamEntity User, LoginProfile Profile)? match;
        await Hashing.WaitAsync(context.RequestAborted);
        try
        {
            match = await services.Identity.CheckPasswordAsync(services.AccountId, input.UserName, input.Password, context.RequestAborted);
        }
        finally
        {
            Hashing.Release();
        }

        var origin = RequestInfo.From(context, Guid.NewGuid().ToString(), services.Time.GetUtcNow()).Origin;
        var principal = match is { } m
            ? new Principal(PrincipalType.IamUser, services.AccountId, m.User.Arn, m.User.Id, null) { Name = m.User.Name }
            : new Principal(PrincipalType.IamUser, services.AccountId, $"arn:aws:iam::{services.AccountId}:user/{HiddenUserName}", HiddenUserName, null) { Name = HiddenUserName };
        var request = new CallRequest(principal, "us-east-1", SignInSource, "ConsoleLogin", origin);
        var outcome = await services.Pipeline.RunAsync(request, async (call, ct) =>
        {
            if (match is not { } found)
            {
                throw CommonErrors.AccessDenied("Failed authentication");
            }

            if (found.Profile.PasswordResetRequired)
            {
                if (input.NewPassword is null)
                {
                    throw new CofferException(ConsoleErrors.PasswordResetRequired, "Your password must be changed before you sign in: give a new password.");
                }

                await services.Identity.ResetOwnPasswordAsync(call, found.Profile, input.NewPassword, ct);
            }

            return await services.Sessions.ConsoleSessionAsync(call, ct);
        }, context.RequestAborted);

        if (!outcome.Succeeded)
        {
            var error = outcome.Error!;
            if (match is null)
            {
                throttle.SignInFailed(input.UserName, address);
                Log.SignInFailed(logger, address?.ToString());
            }

            var status = error.Code == ErrorCodes.AccessDenied ? 401 : error.Code == ErrorCodes.InternalFailure ? 500 : 400;
            await WriteErrorAsync(context, status, error.Code, error.Message);
            return;
        }

        Log.SignedIn(logger, principal.Arn, address?.ToString());
        var session = outcome.Value!;
        await WriteJsonAsync(context, 200, w =>
        {
            w.WriteString("accessKeyId", session.AccessKeyId);
            w.WriteString("secretAccessKey", session.SecretAccessKey);
            w.WriteString("sessionToken", session.SessionToken);
            w.WriteString("expiration", session.Expiration);
            w.WriteString("arn", principal.Arn);
            w.WriteString("userName", principal.Name);
            w.WriteString("accountId", services.AccountId);
        });
    }

    /// <summary>Ends the session that signed the request: its key is deleted, so a stolen copy stops working too.</summary>
    private async Task SignOutAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context);
        Authenticated who;
        try
        {
            who = await verifier.VerifyAsync(context.Request, body ?? [], context.RequestAborted);
        }
        catch (CofferException e)
        {
            throttle.SignatureFailed(context.Request);
            await WriteErrorAsync(context, 403, e.Code, e.Message);
            return;
        }

        var origin = RequestInfo.From(context, Guid.NewGuid().ToString(), services.Time.GetUtcNow()).Origin;
        var outcome = await services.Pipeline.RunAsync(
            new CallRequest(who.Principal, who.Region, SignInSource, "ConsoleSignOut", origin),
            async (call, ct) =>
            {
                await services.Sessions.EndSessionAsync(call, ct);
                return true;
            },
            context.RequestAborted);
        if (!outcome.Succeeded)
        {
            await WriteErrorAsync(context, 400, outcome.Error!.Code, outcome.Error.Message);
            return;
        }

        Log.SignedOut(logger, who.Principal.Arn);
        await WriteJsonAsync(context, 200, w => w.WriteBoolean("signedOut", true));
    }
}
