namespace Coffer.Server.Tests.Infrastructure;

/// <summary>
/// Which store the end-to-end fixtures run on: SQLite in memory by default, or PostgreSQL with
/// <c>COFFER_TEST_STORE=postgres</c> (issue 10), when one server started for the whole test run
/// gives each fixture a database of its own. .ci/run runs the KMS, Parameter Store, Secrets
/// Manager and access groups a second time that way.
/// </summary>
public static class TestStore
{
    private static readonly Lazy<Task<PostgresServer>> Server = new(StartAsync);

    public static bool UsePostgres => string.Equals(Environment.GetEnvironmentVariable("COFFER_TEST_STORE"), "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>The store for a new fixture: null (the default) or a fresh PostgreSQL database.</summary>
    public static async Task<string?> LocationAsync() =>
        UsePostgres ? await (await Server.Value).CreateDatabaseAsync() : null;

    private static async Task<PostgresServer> StartAsync()
    {
        var server = new PostgresServer();
        await server.InitializeAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().GetAwaiter().GetResult();
        return server;
    }
}
