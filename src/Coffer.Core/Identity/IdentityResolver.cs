using System.Collections.Concurrent;
using Coffer.Core.Access;
using Coffer.Core.Storage;

namespace Coffer.Core.Identity;

/// <summary>
/// Resolves a caller to its identity policies, compiled: a user's inline, attached and group
/// policies; a role's inline and attached policies and the session's policy. A principal is bound
/// to its entity's unique id (<c>AIDA...</c>, <c>AROA...</c>), as in AWS: a session of a deleted
/// role, or a key of a deleted user, gets no policies from a new entity made later with the same
/// name (issue 8). Results are cached
/// per principal (per session for assumed roles) and dropped on every IAM change by bumping a
/// generation, so that a change applies to the very next request without racing a load that
/// started before it.
/// </summary>
public sealed class IdentityResolver(ICofferStore store, PolicyCache policies, CredentialStore credentials) : IIdentityResolver
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (long Generation, ResolvedIdentity Identity)> _cache = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>Forgets every resolved identity; IdentityService calls it after each change it commits.</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    public ValueTask<ResolvedIdentity> ResolveAsync(Principal principal, IStoreSession? within = null, CancellationToken cancellationToken = default)
    {
        var key = KeyOf(principal);
        var generation = Interlocked.Read(ref _generation);
        var hit = _cache.TryGetValue(key, out var entry) && entry.Generation == generation;
        Diagnostics.CofferMetrics.CacheLookup("identity_policies", hit);
        return hit ? new(entry.Identity) : LoadAndKeepAsync(principal, key, generation, within, cancellationToken);
    }

    private async ValueTask<ResolvedIdentity> LoadAndKeepAsync(Principal principal, string key, long generation, IStoreSession? within, CancellationToken cancellationToken) =>
        Keep(key, generation, await LoadAsync(principal, within, cancellationToken), within);

    /// <summary>Caches what a load outside any write found; what a write read is good only for its own check, since the write may be undone.</summary>
    private ResolvedIdentity Keep(string key, long generation, ResolvedIdentity identity, IStoreSession? within)
    {
        if (within is not null)
        {
            return identity;
        }

        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }

        _cache[key] = (generation, identity);
        return identity;
    }

    /// <summary>Keyed by what is unique to this principal: a user recreated with the same name is another user.</summary>
    private static string KeyOf(Principal principal) =>
        principal.Type == PrincipalType.AssumedRole ? principal.AccessKeyId ?? principal.PrincipalId : principal.PrincipalId;

    private async ValueTask<ResolvedIdentity> LoadAsync(Principal principal, IStoreSession? within, CancellationToken cancellationToken)
    {
        switch (principal.Type)
        {
            case PrincipalType.IamUser when principal.Name is { } userName:
                return await store.ReadInAsync(within, async (s, ct) => await s.Iam.FindAsync(principal.AccountId, IamEntityKind.User, userName, ct) is { } user && user.Id == principal.PrincipalId
                    ? await OfAsync(s, user, null, ct)
                    : ResolvedIdentity.None, cancellationToken);
            case PrincipalType.AssumedRole when principal.RoleArn is { } roleArn:
                var sessionPolicy = principal.AccessKeyId is { } id && (await credentials.FindAsync(id, within, cancellationToken))?.Record.SessionPolicy is { } text
                    ? new PolicySource("session policy", PolicySourceType.Session, policies.Get(text))
                    : null;
                return await store.ReadInAsync(within, async (s, ct) => await s.Iam.FindAsync(principal.AccountId, IamEntityKind.Role, NameOf(roleArn), ct) is { } role && role.Id == RoleIdOf(principal)
                    ? await OfAsync(s, role, sessionPolicy, ct)
                    : ResolvedIdentity.None with { SessionPolicy = sessionPolicy }, cancellationToken);
            default:
                return ResolvedIdentity.None;
        }
    }

    /// <summary>The identity policies of a user (with its groups'), a group or a role, compiled, read through <paramref name="s"/>.</summary>
    public async ValueTask<ResolvedIdentity> OfAsync(IStoreSession s, IamEntity entity, PolicySource? sessionPolicy, CancellationToken cancellationToken)
    {
        var sources = new List<PolicySource>();
        await AddAsync(s, entity, sources, cancellationToken);
        if (entity.Kind == IamEntityKind.User)
        {
            foreach (var group in await s.Iam.GroupsOfAsync(entity, cancellationToken))
            {
                await AddAsync(s, group, sources, cancellationToken);
            }
        }

        return Identity(entity, sources, sessionPolicy);
    }

    private async ValueTask AddAsync(IStoreSession s, IamEntity entity, List<PolicySource> sources, CancellationToken cancellationToken)
    {
        AddInline(entity, sources);
        foreach (var arn in await s.Iam.AttachedPoliciesAsync(entity, cancellationToken))
        {
            if ((AwsManagedPolicies.Find(arn) ?? await s.Iam.FindPolicyAsync(arn, cancellationToken)) is { } managed)
            {
                AddManaged(arn, managed, sources);
            }
        }
    }

    private static ResolvedIdentity Identity(IamEntity entity, List<PolicySource> sources, PolicySource? sessionPolicy)
    {
        var tags = entity.Tags.Count == 0 ? null : entity.Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.OrdinalIgnoreCase);
        return new ResolvedIdentity(sources, tags, sessionPolicy);
    }

    private void AddInline(IamEntity entity, List<PolicySource> sources)
    {
        var inlineType = entity.Kind switch
        {
            IamEntityKind.User => PolicySourceType.User,
            IamEntityKind.Group => PolicySourceType.Group,
            _ => PolicySourceType.Role,
        };
        foreach (var inline in entity.InlinePolicies)
        {
            sources.Add(new PolicySource(inline.Name, inlineType, policies.Get(inline.Document)));
        }
    }

    private void AddManaged(string arn, ManagedPolicy managed, List<PolicySource> sources) =>
        sources.Add(new PolicySource(arn, managed.IsAwsManaged ? PolicySourceType.AwsManaged : PolicySourceType.UserManaged, policies.Get(managed.DefaultVersion.Document)));

    /// <summary>The role's unique id in an assumed-role session's principal id (<c>AROA...:session</c>).</summary>
    private static string RoleIdOf(Principal session)
    {
        var colon = session.PrincipalId.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? session.PrincipalId : session.PrincipalId[..colon];
    }

    /// <summary>The name in a user, group or role ARN: what follows the last '/' of the path.</summary>
    public static string NameOf(string arn) => arn[(arn.LastIndexOf('/') + 1)..];
}
