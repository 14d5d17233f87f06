namespace Coffer.Server.Tests.Storage;

/// <summary>The storage contract on the embedded store.</summary>
public sealed class SqliteStoreContractTests(SqliteHarness harness) : StoreContractTests(harness), IClassFixture<SqliteHarness>;
