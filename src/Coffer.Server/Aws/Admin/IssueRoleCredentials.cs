using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Admin;

public sealed record IssueRoleCredentialsRequest(string RoleArn, string? SessionName, int? DurationSeconds);

public sealed record RoleCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration)
{
    public override string ToString() => $"RoleCredentials {{ AccessKeyId = {AccessKeyId}, (secret and token redacted) }}";
}

public sealed record IssueRoleCredentialsResponse(RoleCredentials Credentials);

/// <summary>Coffer's IssueRoleCredentials: a role's temporary credentials for a function to run with,
/// for an operator allowed iam:PassRole on a role that trusts lambda.amazonaws.com.</summary>
public static class IssueRoleCredentials
{
    public const string DefaultSessionName = "coffer-function";

    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "IssueRoleCredentials", static () => AdminJson.Default.IssueRoleCredentialsRequest, static () => AdminJson.Default.IssueRoleCredentialsResponse,
        async (s, call, r, ct) =>
        {
            var session = await s.Sessions.IssueRoleCredentialsAsync(call, r.RoleArn, r.SessionName ?? DefaultSessionName, r.DurationSeconds, ct);
            var c = session.Credentials;
            return new IssueRoleCredentialsResponse(new RoleCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken, c.Expiration));
        });
}
