using System.Collections;
using System.Text.RegularExpressions;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Console;

/// <summary>
/// The README's console walk-through as a new user meets it (issue 15): the real <c>coffer server</c>
/// program, outside dev mode, started on an empty data directory, so its first start makes the CA,
/// serves HTTPS and prints the root's credentials; the AWS CLI trusting the CA through
/// <c>AWS_CA_BUNDLE</c>; and Debian's chromium trusting it the way a user makes a browser on Linux
/// trust it, by importing <c>ca.pem</c> into the NSS database in the home directory with
/// <c>certutil</c> (libnss3-tools, which .ci/run installs). Nothing is told to ignore certificate errors.
/// </summary>
public sealed partial class ConsoleTlsFixture : IAsyncLifetime
{
    public const string UserPassword = "Alice-Passw0rd!";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("coffer-console-tls-");
    private CofferProcess? _server;

    public CofferProcess Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public string Endpoint => Server.Endpoint;

    public string DataDir => Path.Combine(_root.FullName, "data");

    public string CaPath => Path.Combine(DataDir, "tls", "ca.pem");

    public string AccessKeyId { get; private set; } = "";

    public string SecretAccessKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = await CofferProcess.StartServerAsync(DataDir, https: true);

        // The first start prints the root's keys once, as export lines, after it listens.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        Match keys;
        while (!(keys = ExportedKeys().Match(Server.Output)).Success)
        {
            Assert.True(DateTime.UtcNow < deadline, "coffer server printed no root credentials:\n" + Server.Output);
            await Task.Delay(50);
        }

        AccessKeyId = keys.Groups["id"].Value;
        SecretAccessKey = keys.Groups["secret"].Value;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _root.Delete(recursive: true);
    }

    /// <summary>The AWS CLI as the README says to run it: the printed exports, the CA bundle, --endpoint-url.</summary>
    public async Task<string> AwsAsync(params string[] arguments)
    {
        var env = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = SecretAccessKey,
            ["AWS_REGION"] = CofferFixture.Region,
            ["AWS_DEFAULT_REGION"] = CofferFixture.Region,
            ["AWS_CA_BUNDLE"] = CaPath,
            ["AWS_PAGER"] = "",
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["AWS_MAX_ATTEMPTS"] = "1",
        };
        var (code, output) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", Endpoint, .. arguments], env);
        Assert.True(code == 0, $"aws {string.Join(' ', arguments)} failed ({code}):\n{output}");
        return output.Trim();
    }

    /// <summary>
    /// Chromium with a home directory of its own. With <paramref name="trustCa"/>, the data
    /// directory's CA is first imported into that home's NSS database (<c>~/.pki/nssdb</c>), which
    /// is where Chromium on Linux reads the authorities its user added.
    /// </summary>
    public async Task<ConsoleBrowser> LaunchAsync(bool trustCa)
    {
        var home = _root.CreateSubdirectory(trustCa ? "home-trusting" : "home-plain").FullName;
        if (trustCa)
        {
            var nssdb = Directory.CreateDirectory(Path.Combine(home, ".pki", "nssdb")).FullName;
            await CertutilAsync("-N", "-d", "sql:" + nssdb, "--empty-password");
            await CertutilAsync("-A", "-d", "sql:" + nssdb, "-n", "Coffer CA", "-t", "C,,", "-i", CaPath);
        }

        // Launch's Env replaces the browser's whole environment: the test's, with HOME changed.
        var env = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        env["HOME"] = home;
        return await ConsoleBrowser.StartAsync(env);
    }

    private static async Task CertutilAsync(params string[] arguments)
    {
        const string certutil = "/usr/bin/certutil";
        Assert.True(File.Exists(certutil), "The console's TLS test needs certutil (apt-get install libnss3-tools; .ci/run does).");
        var (code, output) = await ExternalClient.RunAsync(certutil, arguments, new Dictionary<string, string>());
        Assert.True(code == 0, $"certutil {string.Join(' ', arguments)} failed ({code}):\n{output}");
    }

    [GeneratedRegex(@"export AWS_ACCESS_KEY_ID=(?<id>\S+)\s+export AWS_SECRET_ACCESS_KEY=(?<secret>\S+)")]
    private static partial Regex ExportedKeys();
}
