using Amazon.KeyManagementService.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Protocol;

/// <summary>Dev mode: in memory, printed credentials, and a reset that gives a test suite a clean start.</summary>
public sealed class DevModeTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    [Fact]
    public async Task Reset_wipes_every_resource_and_keeps_the_root_credentials_working()
    {
        using var kms = fixture.Kms();
        await kms.CreateKeyAsync(new CreateKeyRequest());
        Assert.NotEmpty((await kms.ListKeysAsync(new ListKeysRequest())).Keys);

        await fixture.ResetAsync();

        Assert.Empty((await kms.ListKeysAsync(new ListKeysRequest())).Keys);
        Assert.Empty(await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Events.ReadAfterAsync(0, 10, ct)));
        await kms.CreateKeyAsync(new CreateKeyRequest());
    }

    [Fact]
    public async Task The_dev_server_prints_its_credentials_and_needs_no_data_directory()
    {
        var home = Directory.CreateTempSubdirectory("coffer-home-").FullName;
        try
        {
            var env = new Dictionary<string, string> { ["HOME"] = home, ["XDG_DATA_HOME"] = Path.Combine(home, "data"), ["COFFER_DATA_DIR"] = "" };
            await using var server = await CofferProcess.StartServerAsync(Path.Combine(home, "unused"), env, "--dev", "--dev-account-id", "222233334444");
            Assert.Contains("export AWS_ACCESS_KEY_ID=AKIA", server.Output, StringComparison.Ordinal);
            Assert.Contains("export AWS_SECRET_ACCESS_KEY=", server.Output, StringComparison.Ordinal);
            Assert.Contains("account 222233334444", server.Output, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(home));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
