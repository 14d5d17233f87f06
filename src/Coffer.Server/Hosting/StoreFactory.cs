using Coffer.Core.Audit;
using Coffer.Core.Storage;
using Coffer.Storage.Postgres;
using Coffer.Storage.Sqlite;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Hosting;

/// <summary>Opens the store the options name (<see cref="CofferServerOptions.Store"/>): SQLite in the
/// data directory (or in memory in dev mode) by default, or a shared PostgreSQL database.</summary>
public static class StoreFactory
{
    public const string Sqlite = "sqlite";

    public static bool IsPostgres(string? store) => PostgresLocation.IsPostgres(store);

    public static ICofferStore Open(string? store, string dataDir, bool dev, AuditChainKeeper? auditChain, ILoggerFactory? loggerFactory = null)
    {
        if (IsPostgres(store))
        {
            return PostgresStore.Open(store!, auditChain, loggerFactory);
        }

        return dev ? SqliteStore.OpenMemory(auditChain) : SqliteStore.OpenFile(dataDir, auditChain);
    }

    /// <summary>What is wrong with a store setting, or null; never repeats a password.</summary>
    public static string? Check(string? store)
    {
        if (store is null or Sqlite)
        {
            return null;
        }

        if (!IsPostgres(store))
        {
            return "store must be 'sqlite' or postgres://user:password@host:port/database";
        }

        try
        {
            PostgresLocation.ToConnectionString(store);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"store is not a usable PostgreSQL URL ({PostgresLocation.Redact(store)}): {e.Message}";
        }
    }
}
