using System.Text.Json.Serialization;
using Coffer.Core.Identity;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Sts;

public sealed record PolicyDescriptor(string? arn);

public sealed record AssumeRoleRequest(string RoleArn, string RoleSessionName, IReadOnlyList<PolicyDescriptor>? PolicyArns, string? Policy, int? DurationSeconds, string? ExternalId, string? SerialNumber, string? TokenCode);

public sealed record GetSessionTokenRequest(int? DurationSeconds, string? SerialNumber, string? TokenCode);

/// <summary>Temporary credentials on the wire; returned once, never logged.</summary>
public sealed record Credentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration)
{
    public static Credentials From(SessionCredentials c) => new(c.AccessKeyId, c.SecretAccessKey, c.SessionToken, c.Expiration);

    public override string ToString() => $"Credentials {{ AccessKeyId = {AccessKeyId}, (secret and token redacted) }}";
}

public sealed record AssumedRoleUser(string AssumedRoleId, string Arn);

public sealed record AssumeRoleResponse(Credentials Credentials, AssumedRoleUser AssumedRoleUser, int PackedPolicySize);

public sealed record GetSessionTokenResponse(Credentials Credentials);

public sealed record GetCallerIdentityResponse(string UserId, string Account, string Arn);

/// <summary>STS: AssumeRole, GetSessionToken, GetCallerIdentity (query protocol, signed for <c>sts</c>).</summary>
public static class StsOperations
{
    public static JsonOperation AssumeRole { get; } = JsonOperation.Create(
        "AssumeRole", static () => StsJson.Default.AssumeRoleRequest, static () => StsJson.Default.AssumeRoleResponse,
        async (s, call, r, ct) =>
        {
            if (r.SerialNumber is not null || r.TokenCode is not null)
            {
                throw IdentityErrors.Validation("Coffer has no MFA devices: SerialNumber and TokenCode are not supported.");
            }

            var session = await s.Sessions.AssumeRoleAsync(call, r.RoleArn, r.RoleSessionName, r.DurationSeconds, r.Policy, r.PolicyArns?.Select(p => p.arn!).ToList(), r.ExternalId, ct);
            return new AssumeRoleResponse(Credentials.From(session.Credentials), new AssumedRoleUser(session.AssumedRoleId, session.Arn), session.PackedPolicySize);
        });

    public static JsonOperation GetSessionToken { get; } = JsonOperation.Create(
        "GetSessionToken", static () => StsJson.Default.GetSessionTokenRequest, static () => StsJson.Default.GetSessionTokenResponse,
        async (s, call, r, ct) => new GetSessionTokenResponse(Credentials.From(await s.Sessions.GetSessionTokenAsync(call, r.DurationSeconds, ct))));

    /// <summary>Needs no permission, as in AWS: anyone may ask who they are.</summary>
    public static JsonOperation GetCallerIdentity { get; } = JsonOperation.Create(
        "GetCallerIdentity", static () => StsJson.Default.Empty, static () => StsJson.Default.GetCallerIdentityResponse,
        (s, call, r, ct) => Task.FromResult(new GetCallerIdentityResponse(call.Principal.PrincipalId, call.Principal.AccountId, call.Principal.Arn)));

    public static IReadOnlyList<JsonOperation> All { get; } = [AssumeRole, GetSessionToken, GetCallerIdentity];
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Empty))]
[JsonSerializable(typeof(AssumeRoleRequest))]
[JsonSerializable(typeof(AssumeRoleResponse))]
[JsonSerializable(typeof(GetSessionTokenRequest))]
[JsonSerializable(typeof(GetSessionTokenResponse))]
[JsonSerializable(typeof(GetCallerIdentityResponse))]
internal sealed partial class StsJson : JsonSerializerContext;
