using System.Text;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Secrets;

/// <summary>
/// A canary value goes through every path a secret value takes (create, put, get, failures of each)
/// and must never show up in the audit log, the events, the server's log, an error message, or the
/// stored bytes.
/// </summary>
public sealed class SecretCanaryTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    [Fact]
    public async Task A_secret_value_never_reaches_the_audit_log_events_logs_errors_or_storage()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, canary + "-binary");
        var outputs = new List<string>();
        try
        {
            var arn = await SecretsKit.AwsAsync(fixture, "create-secret", "--name", "canary", "--secret-string", canary, "--query", "ARN", "--output", "text");
            const string token = "cccccccc-cccc-cccc-cccc-cccccccccccc";
            await SecretsKit.AwsAsync(fixture, "put-secret-value", "--secret-id", "canary", "--secret-binary", "fileb://" + file, "--client-request-token", token);
            Assert.Equal(canary, await SecretsKit.SecretStringAsync(fixture, "canary", "AWSPREVIOUS"));
            await SecretsKit.AwsAsync(fixture, "update-secret", "--secret-id", "canary", "--secret-string", canary + "-update");

            outputs.Add(await SecretsKit.AwsFailsAsync(fixture, "ResourceExistsException", "put-secret-value", "--secret-id", "canary", "--client-request-token", token, "--secret-string", canary + "-other"));
            outputs.Add(await SecretsKit.AwsFailsAsync(fixture, "InvalidParameterException", "create-secret", "--name", "canary-both", "--secret-string", canary, "--secret-binary", "fileb://" + file));
            outputs.Add(await SecretsKit.AwsFailsAsync(fixture, "InvalidParameterException", "create-secret", "--name", "bad name", "--secret-string", canary));
            outputs.Add(await SecretsKit.AwsFailsAsync(fixture, "ValidationException", "create-secret", "--name", "canary-big", "--secret-string", canary + new string('x', 65536)));
            outputs.Add(await SecretsKit.AwsFailsAsync(fixture, "ResourceExistsException", "create-secret", "--name", "canary", "--secret-string", canary + "-again"));

            var haystacks = (await SecretsKit.AuditRecordsAsync(fixture)).Select(r => r.GetRawText())
                .Concat((await SecretsKit.EventTextsAsync(fixture)))
                .Concat(fixture.Logs.Lines)
                .Concat(outputs);
            Assert.All(haystacks, text => Assert.DoesNotContain(canary, text, StringComparison.Ordinal));

            var secret = (await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Secrets.FindAsync(arn, ct)))!;
            Assert.Equal(3, secret.Versions.Count);
            foreach (var version in secret.Versions)
            {
                var stored = (await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Secrets.FindValueAsync(arn, version.VersionId, ct)))!;
                Assert.DoesNotContain(canary, Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
                Assert.DoesNotContain(canary, Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }
}
