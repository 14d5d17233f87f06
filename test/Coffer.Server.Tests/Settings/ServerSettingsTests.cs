using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Settings;

/// <summary>`coffer server`'s settings from a file, the environment and the command line, checked at
/// start (issue 8). Each runs the real program; none of them gets as far as listening.</summary>
public sealed class ServerSettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("coffer-settings-").FullName;

    [Fact]
    public async Task Print_config_does_not_show_the_unseal_passphrase_from_the_environment()
    {
        var (exit, output) = await CofferProcess.RunAsync(
            ["server", "--data-dir", Path.Combine(_dir, "data"), "--print-config"],
            new Dictionary<string, string> { ["COFFER_UNSEAL_PASSPHRASE"] = "passphrase-canary-7731" });

        Assert.True(exit == 0, output);
        Assert.Contains("unseal-passphrase: (redacted)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("passphrase-canary-7731", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_line_beats_the_environment_which_beats_the_settings_file()
    {
        var file = Path.Combine(_dir, "coffer.json");
        await File.WriteAllTextAsync(file, """
            { "dev": true, "maxRequestBodyBytes": 2048, "schedule-interval": 60, "urls": "http://127.0.0.1:4700" }
            """);
        var (exit, output) = await CofferProcess.RunAsync(
            ["server", "--config", file, "--urls", "http://127.0.0.1:4702", "--print-config"],
            new Dictionary<string, string> { ["COFFER_MAX_REQUEST_BODY_BYTES"] = "4096", ["COFFER_URLS"] = "http://127.0.0.1:4701", ["ASPNETCORE_URLS"] = "http://127.0.0.1:4703" });

        Assert.True(exit == 0, output);
        Assert.Contains("dev: true", output, StringComparison.Ordinal);
        Assert.Contains("schedule-interval: 00:01:00", output, StringComparison.Ordinal);
        Assert.Contains("max-request-body-bytes: 4096", output, StringComparison.Ordinal);
        Assert.Contains("urls: http://127.0.0.1:4702", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_settings_file_in_the_data_directory_is_read_and_ASPNETCORE_URLS_still_works()
    {
        var dataDir = Path.Combine(_dir, "data");
        Directory.CreateDirectory(dataDir);
        await File.WriteAllTextAsync(Path.Combine(dataDir, "coffer.json"), """{ "dev": true, "max-request-body-bytes": 3000 }""");
        var (exit, output) = await CofferProcess.RunAsync(
            ["server", "--data-dir", dataDir, "--print-config"],
            new Dictionary<string, string> { ["ASPNETCORE_URLS"] = "http://127.0.0.1:4703" });

        Assert.True(exit == 0, output);
        Assert.Contains("max-request-body-bytes: 3000", output, StringComparison.Ordinal);
        Assert.Contains("urls: http://127.0.0.1:4703", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_bad_value_is_named_with_exit_code_2_and_no_stack_trace()
    {
        var file = Path.Combine(_dir, "bad.json");
        await File.WriteAllTextAsync(file, """{ "dev": true, "max-requst-body-bytes": 1 }""");
        var (exit, output) = await CofferProcess.RunAsync(
            ["server", "--config", file, "--schedule-interval", "soon", "--dev-account-id", "12ab"],
            new Dictionary<string, string> { ["COFFER_MAX_REQUEST_BODY_BYTES"] = "5" });

        Assert.Equal(2, exit);
        Assert.Contains("max-request-body-bytes must be between 1024 and 16777216, got 5", output, StringComparison.Ordinal);
        Assert.Contains("schedule-interval must be a number of seconds, hh:mm:ss or off, got 'soon' (from --schedule-interval)", output, StringComparison.Ordinal);
        Assert.Contains("dev-account-id must be 12 digits, got '12ab'", output, StringComparison.Ordinal);
        Assert.Contains($"unknown setting 'max-requst-body-bytes' in {file}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_settings_file_that_is_not_json_is_a_clear_error()
    {
        var file = Path.Combine(_dir, "broken.json");
        await File.WriteAllTextAsync(file, "{ dev: ");
        var (exit, output) = await CofferProcess.RunAsync(["server", "--config", file, "--dev"]);

        Assert.Equal(2, exit);
        Assert.Contains($"cannot read the settings file {file}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listening_off_loopback_without_tls_is_refused_unless_asked_for()
    {
        var (refused, output) = await CofferProcess.RunAsync(["server", "--dev", "--urls", "http://0.0.0.0:4710"]);
        Assert.Equal(2, refused);
        Assert.Contains("refusing to listen on http://0.0.0.0:4710 without TLS", output, StringComparison.Ordinal);
        Assert.Contains("--allow-insecure-http", output, StringComparison.Ordinal);

        var (allowed, allowedOutput) = await CofferProcess.RunAsync(["server", "--dev", "--urls", "http://0.0.0.0:4710", "--allow-insecure-http", "--print-config"]);
        Assert.True(allowed == 0, allowedOutput);
        Assert.Contains("allow-insecure-http: true", allowedOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_https_address_without_a_certificate_is_refused()
    {
        var (exit, output) = await CofferProcess.RunAsync(["server", "--dev", "--urls", "https://127.0.0.1:4711"]);
        Assert.Equal(2, exit);
        Assert.Contains("https://127.0.0.1:4711 needs a certificate", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dev_mode_is_plain_http_unless_given_a_certificate()
    {
        var dataDir = Path.Combine(_dir, "data");
        Assert.Equal(0, (await CofferProcess.RunAsync(["init", "--data-dir", dataDir])).ExitCode);

        var (plain, plainOutput) = await CofferProcess.RunAsync(["server", "--dev", "--data-dir", dataDir, "--print-config"]);
        Assert.True(plain == 0, plainOutput);
        Assert.Contains("urls: http://127.0.0.1:4599", plainOutput, StringComparison.Ordinal);

        var (tls, tlsOutput) = await CofferProcess.RunAsync(
            ["server", "--dev", "--print-config", "--tls-cert", Path.Combine(dataDir, "tls", "server.pem")],
            new Dictionary<string, string> { ["COFFER_TLS_KEY"] = Path.Combine(dataDir, "tls", "server.key") });
        Assert.True(tls == 0, tlsOutput);
        Assert.Contains("urls: https://127.0.0.1:4599", tlsOutput, StringComparison.Ordinal);

        var (outside, outsideOutput) = await CofferProcess.RunAsync(["server", "--data-dir", dataDir, "--print-config"]);
        Assert.True(outside == 0, outsideOutput);
        Assert.Contains("urls: https://127.0.0.1:4599", outsideOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_reported_in_one_line_without_a_stack_trace()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var (exit, output) = await CofferProcess.RunAsync(["server", "--dev", "--urls", $"http://127.0.0.1:{port}"]);

        Assert.Equal(1, exit);
        Assert.Contains("coffer server: cannot start:", output, StringComparison.Ordinal);
        Assert.Contains("address already in use", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
