using Amazon.SimpleSystemsManagement;
using Coffer.Client.Configuration;
using Coffer.Server.Tests.Infrastructure;
using Coffer.Server.Tests.Ssm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Coffer.Server.Tests.Client;

/// <summary><c>AddCoffer("/app/prod/")</c> against a real server (issue 12): a path loaded across
/// pages, names mapped to keys as AWS's provider maps them, and reloads that IOptionsMonitor sees.</summary>
public sealed class ConfigurationProviderTests(CofferFixture fixture) : IClassFixture<CofferFixture>, IDisposable
{
    private readonly List<IDisposable> _disposables = [];
    private readonly AmazonSimpleSystemsManagementClient _ssm = fixture.Ssm();

    [Fact]
    public async Task A_path_is_loaded_across_pages_with_names_mapped_to_configuration_keys()
    {
        var root = SsmTestKit.UniquePath() + "/prod/";
        for (var i = 0; i < 23; i++)
        {
            await _ssm.PutAsync($"{root}settings/s{i:00}", $"value-{i}");
        }

        await _ssm.PutAsync(root + "db/password", "config-secret", ParameterType.SecureString);
        await _ssm.PutAsync(root + "hosts", "a.local,b.local", ParameterType.StringList);
        await _ssm.PutAsync(root.TrimEnd('/') + "-other/x", "not-under-the-path");

        using var configuration = (ConfigurationRoot)new ConfigurationBuilder().AddCoffer(root, Configure(watch: false, poll: null)).Build();

        Assert.Equal("config-secret", configuration["db:password"]);
        Assert.Equal("config-secret", configuration["DB:Password"]);
        Assert.Equal("value-0", configuration["settings:s00"]);
        Assert.Equal("value-22", configuration["settings:s22"]);
        Assert.Equal(23, configuration.GetSection("settings").GetChildren().Count());
        Assert.Equal(["a.local", "b.local"], configuration.GetSection("hosts").Get<string[]>()!);
        Assert.DoesNotContain(configuration.AsEnumerable(), kv => kv.Value == "not-under-the-path");
    }

    [Fact]
    public async Task A_changed_parameter_reaches_IOptionsMonitor_through_the_change_stream()
    {
        var monitor = await MonitorAsync(watch: true, poll: null);
        await _ssm.PutAsync(_root + "db/host", "new-host", overwrite: true);

        Assert.Equal("new-host", await ClientKit.EventuallyAsync(() => Task.FromResult(monitor.CurrentValue.Host), h => h == "new-host"));
    }

    [Fact]
    public async Task Without_the_change_stream_polling_reloads_the_path()
    {
        var monitor = await MonitorAsync(watch: false, poll: TimeSpan.FromMilliseconds(200));
        await _ssm.PutAsync(_root + "db/host", "polled-host", overwrite: true);

        Assert.Equal("polled-host", await ClientKit.EventuallyAsync(() => Task.FromResult(monitor.CurrentValue.Host), h => h == "polled-host"));
    }

    private readonly string _root = SsmTestKit.UniquePath() + "/app/";

    private async Task<IOptionsMonitor<DbSettings>> MonitorAsync(bool watch, TimeSpan? poll)
    {
        await _ssm.PutAsync(_root + "db/host", "old-host");
        var configuration = new ConfigurationBuilder().AddCoffer(_root, Configure(watch, poll)).Build();
        _disposables.Add((ConfigurationRoot)configuration);
        var services = new ServiceCollection().Configure<DbSettings>(configuration.GetSection("db")).BuildServiceProvider();
        var monitor = services.GetRequiredService<IOptionsMonitor<DbSettings>>();
        Assert.Equal("old-host", monitor.CurrentValue.Host);
        return monitor;
    }

    private Action<CofferConfigurationSource> Configure(bool watch, TimeSpan? poll) => source =>
    {
        source.ClientOptions = ClientKit.Options(fixture);
        source.WatchChanges = watch;
        source.ReloadAfter = poll;
    };

    public void Dispose() => _disposables.ForEach(d => d.Dispose());

    public sealed class DbSettings
    {
        public string Host { get; set; } = "";
    }
}
