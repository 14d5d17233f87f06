using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Coffer.Core.Access;
using Coffer.Core.Audit;
using Coffer.Core.Aws;
using Coffer.Core.Storage;

namespace Coffer.Core.Identity;

/// <summary>Temporary credentials: the secret and the session token are returned this once; only
/// the token's hash is stored, and the secret is wrapped by the root key.</summary>
public sealed record SessionCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration)
{
    public override string ToString() => $"SessionCredentials {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = (redacted), SessionToken = (redacted), Expiration = {Expiration:O} }}";
}

public sealed record AssumedRoleSession(SessionCredentials Credentials, string AssumedRoleId, string Arn, int PackedPolicySize);

/// <summary>
/// STS: AssumeRole (the caller needs sts:AssumeRole on the role, and the role's trust policy must
/// admit the caller), GetSessionToken, GetCallerIdentity, and Coffer's IssueRoleCredentials, which
/// gives a function its role's credentials as Lambda does with an execution role.
/// </summary>
public sealed partial class SessionService(ICofferStore store, PolicyAuthorizer authorizer, AuditLog audit, CredentialStore credentials, TimeProvider time)
{
    /// <summary>The service principal that a function's role must trust, as an execution role trusts Lambda.</summary>
    public const string FunctionService = "lambda.amazonaws.com";

    private const int ChainedMaxSeconds = 3600;
    private const int MaxPackedPolicyChars = 2048;

    public async Task<AssumedRoleSession> AssumeRoleAsync(Call call, string roleArn, string sessionName, int? durationSeconds, string? policy, IReadOnlyList<string>? policyArns, string? externalId, CancellationToken ct)
    {
        call.AddResource(roleArn, "AWS::IAM::Role");
        var role = await FindRoleAsync(call, roleArn, ct)
            ?? throw CommonErrors.AccessDenied(AccessDecision.Message(call.Principal.Arn, "sts:AssumeRole", roleArn, "because no resource-based policy allows the sts:AssumeRole action"));
        await authorizer.AuthorizeAsync(call, new AccessRequest("sts:AssumeRole", roleArn)
        {
            ResourcePolicy = role.AssumeRolePolicyDocument,
            ConditionKeys = externalId is null
                ? new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { ["sts:RoleSessionName"] = [sessionName] }
                : new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { ["sts:RoleSessionName"] = [sessionName], ["sts:ExternalId"] = [externalId] },
        }, cancellationToken: ct);
        var duration = durationSeconds ?? 3600;
        if (duration > role.MaxSessionDuration)
        {
            throw IdentityErrors.Validation($"The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }

        if (call.Principal.Type == PrincipalType.AssumedRole && duration > ChainedMaxSeconds)
        {
            throw IdentityErrors.Validation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
        }

        var (sessionPolicy, packed) = await SessionPolicyAsync(call, policy, policyArns, ct);
        return await IssueAsync(call, role, sessionName, duration, sessionPolicy, packed, ct);
    }

    /// <summary>Credentials of a role for a function, for an operator with iam:PassRole on it; the role must trust <see cref="FunctionService"/>.</summary>
    public async Task<AssumedRoleSession> IssueRoleCredentialsAsync(Call call, string roleArn, string sessionName, int? durationSeconds, CancellationToken ct)
    {
        call.AddResource(roleArn, "AWS::IAM::Role");
        await authorizer.AuthorizeAsync(call, new AccessRequest("iam:PassRole", roleArn), cancellationToken: ct);
        var role = await FindRoleAsync(call, roleArn, ct) ?? throw new CofferException("ResourceNotFoundException", $"The role {roleArn} cannot be found.");
        var lambda = Principal.ForService(FunctionService, call.AccountId);
        var trust = await authorizer.EvaluateAsync(lambda, call.Origin, call.Region, new AccessRequest("sts:AssumeRole", roleArn) { ResourcePolicy = role.AssumeRolePolicyDocument }, identity: ResolvedIdentity.None, cancellationToken: ct);
        if (!trust.IsAllowed)
        {
            throw new CofferException("ValidationException", $"The role defined for the function cannot be assumed by Lambda: the trust policy of {roleArn} must allow sts:AssumeRole to the service principal {FunctionService}.");
        }

        var duration = durationSeconds ?? 3600;
        if (duration > role.MaxSessionDuration)
        {
            throw new CofferException("ValidationException", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }

        return await IssueAsync(call, role, sessionName, duration, null, 0, ct);
    }

    public async Task<SessionCredentials> GetSessionTokenAsync(Call call, int? durationSeconds, CancellationToken ct)
    {
        var caller = call.Principal;
        if (caller.Type is not (PrincipalType.IamUser or PrincipalType.Root) || caller.Expiration is not null)
        {
            throw CommonErrors.AccessDenied("Cannot call GetSessionToken with session credentials");
        }

        var duration = durationSeconds ?? (caller.IsRoot ? 3600 : 43200);
        if (caller.IsRoot && duration > 3600)
        {
            duration = 3600;
        }

        var (record, session) = NewSession(call, caller.Type, caller.Arn, caller.PrincipalId, caller.Name, duration);
        await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            await s.AccessKeys.InsertAsync(record, ct);
            return true;
        }, ct);
        return session;
    }

    /// <summary>Removes expired session keys; returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken ct)
    {
        var removed = await store.WriteAsync((s, ct) => s.AccessKeys.DeleteExpiredAsync(time.GetUtcNow(), ct), ct);
        if (removed > 0)
        {
            credentials.Clear();
        }

        return removed;
    }

    private async Task<AssumedRoleSession> IssueAsync(Call call, IamEntity role, string sessionName, int duration, string? sessionPolicy, int packed, CancellationToken ct)
    {
        var sessionArn = $"arn:{Aws.Partition.ForRegion(call.Region)}:sts::{role.AccountId}:assumed-role/{role.Name}/{sessionName}";
        var assumedRoleId = role.Id + ":" + sessionName;
        var (record, session) = NewSession(call, PrincipalType.AssumedRole, sessionArn, assumedRoleId, sessionName, duration);
        record = record with { RoleArn = role.Arn, SessionPolicy = sessionPolicy };
        await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            await s.AccessKeys.InsertAsync(record, ct);
            return true;
        }, ct);
        return new AssumedRoleSession(session, assumedRoleId, sessionArn, packed);
    }

    private (AccessKeyRecord, SessionCredentials) NewSession(Call call, PrincipalType type, string ownerArn, string ownerId, string? ownerName, int duration)
    {
        var now = time.GetUtcNow();
        var (record, secret) = credentials.Create("ASIA", call.AccountId, type, ownerArn, ownerId, ownerName, now);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(96));
        var expiration = now.AddSeconds(duration);
        record = record with { SessionTokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(token)), Expiration = expiration };
        return (record, new SessionCredentials(record.AccessKeyId, secret, token, expiration));
    }

    private async ValueTask<IamEntity?> FindRoleAsync(Call call, string roleArn, CancellationToken ct)
    {
        if (!Arn.TryParse(roleArn, out var arn) || arn.Value.Service != "iam" || !arn.Value.Resource.StartsWith("role/", StringComparison.Ordinal))
        {
            throw IdentityErrors.Validation($"{roleArn} is not a valid role ARN.");
        }

        var role = await store.ReadAsync((s, ct) => s.Iam.FindAsync(arn.Value.Account, IamEntityKind.Role, IdentityResolver.NameOf(roleArn), ct), ct);
        return role is not null && role.Arn == roleArn ? role : null;
    }

    /// <summary>The session policy: the inline policy and the managed ones, as one document whose statements
    /// are theirs; and how much of the packed policy's allowance it takes, in percent.</summary>
    private async ValueTask<(string? Policy, int PackedPercent)> SessionPolicyAsync(Call call, string? policy, IReadOnlyList<string>? policyArns, CancellationToken ct)
    {
        var documents = new List<string>();
        if (policy is not null)
        {
            documents.Add(policy);
        }

        foreach (var arn in policyArns ?? [])
        {
            var managed = AwsManagedPolicies.Find(arn) ?? await store.ReadAsync((s, ct) => s.Iam.FindPolicyAsync(arn, ct), ct);
            documents.Add(managed is not null && (managed.IsAwsManaged || managed.AccountId == call.AccountId)
                ? managed.DefaultVersion.Document
                : throw IdentityErrors.MalformedPolicy($"The policy {arn} does not exist or is not attachable."));
        }

        if (documents.Count == 0)
        {
            return (null, 0);
        }

        var statements = new JsonArray();
        foreach (var document in documents)
        {
            try
            {
                PolicyDocument.Parse(document, PolicyKind.Identity);
            }
            catch (PolicyFormatException e)
            {
                throw IdentityErrors.MalformedPolicy(e.Message);
            }

            var statement = JsonNode.Parse(document)!["Statement"]!;
            foreach (var s in statement is JsonArray list ? [.. list] : new JsonNode?[] { statement })
            {
                statements.Add(s?.DeepClone());
            }
        }

        var combined = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements }.ToJsonString();
        var packedPercent = (int)Math.Ceiling(combined.Count(c => !char.IsWhiteSpace(c)) * 100.0 / MaxPackedPolicyChars);
        if (packedPercent > 100)
        {
            throw new CofferException("PackedPolicyTooLarge", $"Packed policy consumes {packedPercent}% of allotted space, please use smaller policy.");
        }

        return (combined, packedPercent);
    }
}
