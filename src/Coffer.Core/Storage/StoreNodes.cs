namespace Coffer.Core.Storage;

/// <summary>
/// What a store shared by several nodes (PostgreSQL) tells each of them: what another node changed
/// that this node may hold in a cache. A store used by one process (SQLite) does not implement it.
/// </summary>
public interface IStoreChangeFeed
{
    /// <summary>Raised, on a background thread, with a <see cref="StoreChange"/> topic once a change
    /// made through any node (this one included) is committed.</summary>
    event Action<string>? Changed;
}

/// <summary>The topics of <see cref="IStoreChangeFeed.Changed"/>.</summary>
public static class StoreChange
{
    /// <summary>Access keys changed: cached credentials may be stale.</summary>
    public const string Credentials = "credentials";

    /// <summary>IAM users, groups, roles, policies or attachments changed: resolved identities may be stale.</summary>
    public const string Identities = "identities";

    /// <summary>Everything may have changed (a wipe, or the feed was interrupted and events may be lost).</summary>
    public const string All = "all";

    /// <summary>Whether the state is unknown and every cache should go.</summary>
    public static bool IsAll(string topic) => topic == All;
}

