namespace Coffer.Core.Storage;

/// <summary>
/// What a store tells the caches above it: what a change (on a store shared by several nodes,
/// PostgreSQL, another node's change too) may have made stale.
/// </summary>
public interface IStoreChangeFeed
{
    /// <summary>Raised, on a background thread, with a <see cref="StoreChange"/> topic once a change
    /// made through this node is committed, before the write that made it is acknowledged.</summary>
    event Action<string>? Changed;

    /// <summary>
    /// Whether every change is announced before the write that made it is acknowledged, and nothing
    /// else writes to the store: then a cache that follows the feed is never behind a change a caller
    /// could know of (one process on SQLite). On a store of several nodes the feed tells only this
    /// node's changes; the caches follow the generations it keeps for the others' (<see cref="IStoreGenerations"/>).
    /// </summary>
    bool Immediate => false;
}

/// <summary>The topics of <see cref="IStoreChangeFeed.Changed"/>.</summary>
public static class StoreChange
{
    /// <summary>Access keys changed: cached credentials may be stale.</summary>
    public const string Credentials = "credentials";

    /// <summary>IAM users, groups, roles, policies or attachments changed: resolved identities may be stale.</summary>
    public const string Identities = "identities";

    /// <summary>KMS keys, their material, aliases or grants changed.</summary>
    public const string Keys = "keys";

    /// <summary>Parameters, their versions, labels or policies changed.</summary>
    public const string Parameters = "parameters";

    /// <summary>Secrets or their values changed.</summary>
    public const string Secrets = "secrets";

    /// <summary>Every topic a cache follows (all but <see cref="All"/>).</summary>
    public static IReadOnlyList<string> Cached { get; } = [Credentials, Identities, Keys, Parameters, Secrets];

    /// <summary>Everything may have changed (a wipe, or the feed was interrupted and events may be lost).</summary>
    public const string All = "all";

    /// <summary>Whether the state is unknown and every cache should go.</summary>
    public static bool IsAll(string topic) => topic == All;
}

