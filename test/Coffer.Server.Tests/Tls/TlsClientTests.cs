using System.Text;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Coffer.Server.Tests.Tls;

/// <summary>
/// Each client of the matrix over HTTPS, trusting the data directory's CA exactly as the server's
/// start-up message tells users to (issue 8): the AWS CLI v2 and boto3 through AWS_CA_BUNDLE, the
/// JS SDKs through NODE_EXTRA_CA_CERTS, the AWS SDK for .NET through an HttpClientFactory.
/// </summary>
public sealed class TlsClientTests(TlsCofferFixture fixture, ITestOutputHelper output) : IClassFixture<TlsCofferFixture>
{
    [Fact]
    public void The_server_listens_on_https_only()
    {
        Assert.All(fixture.Server.Addresses, a => Assert.StartsWith("https://", a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Aws_cli_v2_puts_and_gets_a_SecureString_over_https()
    {
        await CliAsync(0, "ssm", "put-parameter", "--name", "/tls/cli", "--type", "SecureString", "--value", "over tls", "--overwrite");
        var got = await CliAsync(0, "ssm", "get-parameter", "--name", "/tls/cli", "--with-decryption", "--query", "Parameter.Value", "--output", "text");
        Assert.Equal("over tls", got.Trim());
    }

    [Fact]
    public async Task Aws_cli_v2_trusts_the_ca_given_with_ca_bundle()
    {
        var env = fixture.ClientEnvironment(trustCa: false);
        var (exit, text) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, "--ca-bundle", fixture.CaPath, "kms", "list-keys"], env);
        Assert.True(exit == 0, text);
    }

    [Fact]
    public async Task Aws_cli_v2_refuses_the_server_without_the_ca()
    {
        var (exit, text) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, "kms", "list-keys"], fixture.ClientEnvironment(trustCa: false));
        Assert.NotEqual(0, exit);
        Assert.Contains("CERTIFICATE_VERIFY_FAILED", text, StringComparison.Ordinal);
    }

    [Fact]
    public Task Boto3_kms_script_passes_over_https() => ScriptAsync("/usr/bin/python3", "test/python/test_kms.py");

    [Fact]
    public Task Js_sdk_v2_kms_script_passes_over_https() => ScriptAsync("node", "test/js/kms-v2.test.mjs");

    [Fact]
    public Task Js_sdk_v3_kms_script_passes_over_https() => ScriptAsync("node", "test/js/kms-v3.test.mjs");

    [Fact]
    public async Task Js_sdk_v3_refuses_the_server_without_the_ca()
    {
        var (exit, text) = await ExternalClient.RunAsync("node", ["test/js/kms-v3.test.mjs"], fixture.ClientEnvironment(trustCa: false));
        Assert.NotEqual(0, exit);
        Assert.Contains("certificate", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Dotnet_sdk_encrypts_and_decrypts_over_https()
    {
        using var kms = fixture.Kms();
        var key = await kms.CreateKeyAsync(new CreateKeyRequest { Description = "over tls" });
        var blob = await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyMetadata.KeyId, Plaintext = new MemoryStream("over tls"u8.ToArray()) });
        var plain = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob.CiphertextBlob });
        Assert.Equal("over tls", Encoding.UTF8.GetString(plain.Plaintext.ToArray()));
    }

    [Fact]
    public async Task Dotnet_sdk_refuses_the_server_without_the_ca()
    {
        using var kms = fixture.Kms(trustCa: false);
        await Assert.ThrowsAnyAsync<Exception>(() => kms.ListKeysAsync(new ListKeysRequest()));
    }

    private async Task<string> CliAsync(int expectedExit, params string[] arguments)
    {
        var (exit, text) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, .. arguments], fixture.ClientEnvironment());
        output.WriteLine(text);
        Assert.True(exit == expectedExit, $"aws {string.Join(' ', arguments)} exited with {exit}:\n{text}");
        return text;
    }

    private async Task ScriptAsync(string program, string script)
    {
        var (exit, text) = await ExternalClient.RunAsync(program, [script], fixture.ClientEnvironment());
        output.WriteLine(text);
        Assert.True(exit == 0, $"{script} exited with {exit}:\n{text}");
    }
}
