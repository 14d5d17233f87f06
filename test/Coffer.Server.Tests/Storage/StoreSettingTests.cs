using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Storage;

/// <summary>The store setting carries the database password: it is never printed (issue 10).</summary>
public sealed class StoreSettingTests
{
    [Theory]
    [InlineData("postgres://coffer:pw-canary@db:5432/coffer", "postgres://coffer:(redacted)@db:5432/coffer")]
    [InlineData("postgres://coffer:pw-canary@db:notaport/coffer", "postgres://coffer:(redacted)@db:notaport/coffer")]
    [InlineData("postgresql://coffer:pw@can@ary@db/coffer", "postgresql://coffer:(redacted)@db/coffer")]
    [InlineData("postgres://db/coffer?sslmode=require&password=pw-canary", "postgres://db/coffer?sslmode=require&password=(redacted)")]
    [InlineData("postgres://coffer@db/coffer", "postgres://coffer@db/coffer")]
    [InlineData("Host=db;Password=pw-canary", "(connection string)")]
    public void A_store_location_is_shown_without_its_password(string location, string shown) =>
        Assert.Equal(shown, Coffer.Storage.Postgres.PostgresLocation.Redact(location));

    [Fact]
    public async Task Backup_of_a_store_it_cannot_reach_or_parse_says_so_in_one_line_without_the_password()
    {
        var dir = Directory.CreateTempSubdirectory("coffer-backup-");
        try
        {
            // Before: an unhandled NpgsqlException and its stack trace.
            var (exit, output) = await CofferProcess.RunAsync(["backup", "--out", Path.Combine(dir.FullName, "b.gz"), "--store", "postgres://coffer:pw-canary-41@127.0.0.1:1/coffer"]);
            Assert.Equal(1, exit);
            Assert.Contains("coffer: the store:", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
            Assert.DoesNotContain("pw-canary-41", output, StringComparison.Ordinal);

            (exit, output) = await CofferProcess.RunAsync(["backup", "--out", Path.Combine(dir.FullName, "c.gz"), "--store", "postgres://coffer:pw-canary-42@127.0.0.1:x/coffer"]);
            Assert.Equal(2, exit);
            Assert.Contains("not a usable PostgreSQL URL", output, StringComparison.Ordinal);
            Assert.DoesNotContain("pw-canary-42", output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dir.FullName, "c.gz")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Print_config_redacts_the_store_url_and_a_bad_one_is_refused_without_its_password()
    {
        var dir = Directory.CreateTempSubdirectory("coffer-store-setting-");
        try
        {
            var (exit, output) = await CofferProcess.RunAsync(["server", "--dev", "--print-config", "--store", "postgres://coffer:pw-canary-31@127.0.0.1:5432/coffer"]);
            Assert.Equal(0, exit);
            Assert.Contains("store: (redacted)", output, StringComparison.Ordinal);
            Assert.DoesNotContain("pw-canary-31", output, StringComparison.Ordinal);

            (exit, output) = await CofferProcess.RunAsync(["server", "--data-dir", dir.FullName, "--store", "mysql://root:pw-canary-32@db/x"]);
            Assert.Equal(2, exit);
            Assert.Contains("store must be", output, StringComparison.Ordinal);
            Assert.DoesNotContain("pw-canary-32", output, StringComparison.Ordinal);

            // A URL that does not parse is the one the message shows (before: the whole URL, password and all).
            (exit, output) = await CofferProcess.RunAsync(["server", "--data-dir", dir.FullName, "--store", "postgres://coffer:pw-canary-33@127.0.0.1:notaport/coffer"]);
            Assert.Equal(2, exit);
            Assert.Contains("not a usable PostgreSQL URL (postgres://coffer:(redacted)@127.0.0.1:notaport/coffer)", output, StringComparison.Ordinal);
            Assert.DoesNotContain("pw-canary-33", output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
