using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Storage;

/// <summary>The store setting carries the database password: it is never printed (issue 10).</summary>
public sealed class StoreSettingTests
{
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
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
