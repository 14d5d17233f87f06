using System.Globalization;
using Coffer.Core.Access;
using Coffer.Core.Audit;
using Coffer.Core.Aws;
using Coffer.Core.Kms;
using Coffer.Core.Storage;

namespace Coffer.Core.Identity;

/// <summary>A page of a listing: IAM's Marker and IsTruncated.</summary>
public sealed record IamPage<T>(IReadOnlyList<T> Items, string? Marker)
{
    private const int DefaultMaxItems = 100;

    public bool IsTruncated => Marker is not null;

    /// <summary>Pages an in-memory listing: IAM's lists are small (account quotas), and the marker is the next item's index.</summary>
    public static IamPage<T> Of(IReadOnlyList<T> items, string? marker, int? maxItems)
    {
        var start = 0;
        if (marker is not null && (!int.TryParse(marker, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > items.Count))
        {
            throw IdentityErrors.Validation("Invalid Marker.");
        }

        var page = items.Skip(start).Take(maxItems ?? DefaultMaxItems).ToList();
        var next = start + page.Count < items.Count ? (start + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        return new IamPage<T>(page, next);
    }
}

/// <summary>
/// IAM: users, groups, roles, access keys, inline and managed policies, attachments, simulation.
/// Every method authorizes with the IAM action and the entity's ARN, writes through the audit log,
/// and, once a change is committed, invalidates the resolved identities so that the next request
/// sees it. Policies are validated (and so compiled once) when written.
/// </summary>
public sealed partial class IdentityService(
    ICofferStore store,
    IAuthorizer authorizer,
    AuditLog audit,
    CredentialStore credentials,
    IdentityResolver resolver,
    TimeProvider time)
{
    /// <summary>Runs a change, a unit of work that awaits only the session it is given, then makes every resolved identity stale.</summary>
    private async Task<T> ChangeAsync<T>(Call call, Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken ct)
    {
        try
        {
            return await audit.WriteChangeAsync(call, work, ct);
        }
        finally
        {
            resolver.Invalidate();
        }
    }

    private ValueTask AuthorizeAsync(Call call, string action, string resource, string type, IReadOnlyDictionary<string, IReadOnlyList<string>>? keys, CancellationToken ct)
    {
        call.AddResource(resource, type);
        return authorizer.AuthorizeAsync(call, new AccessRequest(action, resource) { ConditionKeys = keys }, cancellationToken: ct);
    }

    public static string EntityArn(Call call, IamEntityKind kind, string path, string name) =>
        Arn.Global("iam", call.Region, call.AccountId, IdentityErrors.Noun(kind) + path + name).ToString();

    private static string ResourceType(IamEntityKind kind) => kind switch
    {
        IamEntityKind.User => "AWS::IAM::User",
        IamEntityKind.Group => "AWS::IAM::Group",
        _ => "AWS::IAM::Role",
    };

    private static string NewId(string prefix) => prefix + CredentialStore.RandomString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 17);

    private static async ValueTask<IamEntity> RequireAsync(IStoreSession s, Call call, IamEntityKind kind, string name, CancellationToken ct) =>
        await s.Iam.FindAsync(call.AccountId, kind, name, ct) ?? throw IdentityErrors.NoSuchEntity(kind, name);

    /// <summary>Loads an entity and authorizes the action on it; an entity that does not exist is
    /// authorized on the ARN it would have, so that a caller learns nothing it may not ask.</summary>
    private async ValueTask<IamEntity> LoadAsync(Call call, IamEntityKind kind, string name, string action, CancellationToken ct, IReadOnlyDictionary<string, IReadOnlyList<string>>? keys = null)
    {
        var entity = await store.ReadAsync((s, ct) => s.Iam.FindAsync(call.AccountId, kind, name, ct), ct);
        await AuthorizeAsync(call, action, entity?.Arn ?? EntityArn(call, kind, "/", name), ResourceType(kind), keys, ct);
        return entity ?? throw IdentityErrors.NoSuchEntity(kind, name);
    }

    /// <summary>The action's name for an entity kind: ("Get", Role, "Policy") is iam:GetRolePolicy.</summary>
    private static string Action(string verb, IamEntityKind kind, string suffix = "") => $"iam:{verb}{kind}{suffix}";

    private static void ValidatePath(string? path)
    {
        if (path is not null && !(path == "/" || (path.StartsWith('/') && path.EndsWith('/'))))
        {
            throw IdentityErrors.Validation($"The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.");
        }
    }

    /// <summary>Validates a policy for where it is written; IAM's error is MalformedPolicyDocument.</summary>
    private static void ValidatePolicy(string document, PolicyKind kind)
    {
        try
        {
            PolicyDocument.Parse(document, kind);
        }
        catch (PolicyFormatException e)
        {
            throw IdentityErrors.MalformedPolicy(e.Message);
        }
    }

    private static IamPage<T> Page<T>(IReadOnlyList<T> items, string? marker, int? maxItems) => IamPage<T>.Of(items, marker, maxItems);
}
