using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Ssm;

/// <summary>A SecureString's value never reaches the audit log, the event outbox, the server's logs or an error message.</summary>
public sealed class SecretHygieneTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly AmazonSimpleSystemsManagementClient _ssm = fixture.Ssm();

    [Fact]
    public async Task A_SecureString_value_appears_in_no_audit_record_event_log_line_or_error()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        var name = SsmTestKit.UniquePath() + "/canary";
        var errors = new List<string>();
        await _ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = canary, Type = ParameterType.SecureString, Description = "canary" });
        await _ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = canary + "-2", Type = ParameterType.SecureString, Overwrite = true });
        Assert.Equal(canary, (await _ssm.GetParameterAsync(new GetParameterRequest { Name = name + ":1", WithDecryption = true })).Parameter.Value);
        await _ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = name[..name.LastIndexOf('/')], WithDecryption = true });
        await _ssm.HistoryAsync(name, decrypt: true);

        // Refused puts that carry the value: pattern mismatch, nested reference, type change, no overwrite, too large.
        foreach (var request in new[]
        {
            new PutParameterRequest { Name = name + "p", Value = canary, Type = ParameterType.SecureString, AllowedPattern = "^[0-9]+$" },
            new PutParameterRequest { Name = name + "n", Value = canary + "{{ssm:x}}", Type = ParameterType.SecureString },
            new PutParameterRequest { Name = name, Value = canary, Type = ParameterType.String, Overwrite = true },
            new PutParameterRequest { Name = name, Value = canary, Type = ParameterType.SecureString },
            new PutParameterRequest { Name = name, Value = canary + new string('x', 9000), Type = ParameterType.SecureString, Overwrite = true },
            new PutParameterRequest { Name = "/bad name", Value = canary, Type = ParameterType.SecureString },
        })
        {
            var error = await Assert.ThrowsAnyAsync<AmazonSimpleSystemsManagementException>(() => _ssm.PutParameterAsync(request));
            errors.Add(error.ErrorCode + " " + error.Message);
        }

        Assert.Equal(6, errors.Count);
        Assert.DoesNotContain(errors, e => e.Contains(canary, StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.AuditRecords(), r => r.Contains(canary, StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Events(), e => System.Text.Json.JsonSerializer.Serialize(e.Event, Core.Events.EventJson.Default.CofferEvent).Contains(canary, StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Contains(canary, StringComparison.Ordinal));
        var stored = fixture.Server.Services.Store.Read(s => s.Parameters.ListVersions(CofferFixture.AccountId, CofferFixture.Region, name, 0, 10));
        Assert.Equal(2, stored.Count);
        Assert.All(stored, v => Assert.Null(v.Value));
        Assert.DoesNotContain(canary, stored.ToString(), StringComparison.Ordinal);

        // The audit record of the put names the parameter, so the check above is not vacuous.
        Assert.Contains(fixture.AuditRecords(), r => r.Contains("\"PutParameter\"", StringComparison.Ordinal) && r.Contains(name, StringComparison.Ordinal));
    }
}
