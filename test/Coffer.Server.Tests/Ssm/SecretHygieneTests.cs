using System.Text;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Tests.Ssm;

/// <summary>
/// A SecureString's value goes through every Parameter Store operation that carries or returns it,
/// in success and in failure; afterwards it is nowhere on disk (database, WAL), in no audit record,
/// no event, no log line and no error message.
/// </summary>
public sealed class SecretHygieneTests : IAsyncLifetime
{
    private readonly string _canary = "CANARY-" + Guid.NewGuid().ToString("N");
    private readonly string _dataDir = Directory.CreateTempSubdirectory("coffer-ssm-canary-").FullName;
    private readonly LogCapture _logs = new();
    private RunningServer? _server;
    private RootCredentials? _root;

    public async Task InitializeAsync()
    {
        _root = await DataDirectory.InitializeAsync(_dataDir, CofferFixture.AccountId, null);
        _server = await CofferServer.StartAsync(
            new CofferServerOptions { DataDir = _dataDir, Urls = "http://127.0.0.1:0", ScheduleInterval = Timeout.InfiniteTimeSpan },
            logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
    }

    [Fact]
    public async Task A_SecureString_value_is_nowhere_on_disk_nor_in_audit_records_events_logs_or_errors()
    {
        using var ssm = new AmazonSimpleSystemsManagementClient(
            new BasicAWSCredentials(_root!.AccessKeyId, _root.SecretAccessKey),
            new AmazonSimpleSystemsManagementConfig { ServiceURL = _server!.BaseAddress.ToString(), AuthenticationRegion = CofferFixture.Region, MaxErrorRetry = 0 });
        var name = "/app/prod/db/password";
        var visible = "VISIBLE-" + Guid.NewGuid().ToString("N");
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = _canary, Type = ParameterType.SecureString, Description = visible });
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = _canary + "-2", Type = ParameterType.SecureString, Overwrite = true });
        await ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, ParameterVersion = 1, Labels = ["old"] });
        Assert.Equal(_canary, (await ssm.GetParameterAsync(new GetParameterRequest { Name = name + ":old", WithDecryption = true })).Parameter.Value);
        await ssm.GetParametersAsync(new GetParametersRequest { Names = [name], WithDecryption = true });
        await ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/app", Recursive = true, WithDecryption = true });
        await ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = name, WithDecryption = true });

        // Refused puts that carry the value: pattern mismatch, nested reference, type change, no overwrite, too large, bad name.
        var errors = new List<string>();
        foreach (var request in new[]
        {
            new PutParameterRequest { Name = name + "p", Value = _canary, Type = ParameterType.SecureString, AllowedPattern = "^[0-9]+$" },
            new PutParameterRequest { Name = name + "n", Value = _canary + "{{ssm:x}}", Type = ParameterType.SecureString },
            new PutParameterRequest { Name = name, Value = _canary, Type = ParameterType.String, Overwrite = true },
            new PutParameterRequest { Name = name, Value = _canary, Type = ParameterType.SecureString },
            new PutParameterRequest { Name = name, Value = _canary + new string('x', 9000), Type = ParameterType.SecureString, Overwrite = true },
            new PutParameterRequest { Name = "/bad name", Value = _canary, Type = ParameterType.SecureString },
        })
        {
            var error = await Assert.ThrowsAnyAsync<AmazonSimpleSystemsManagementException>(() => ssm.PutParameterAsync(request));
            errors.Add(error.ErrorCode + " " + error.Message);
        }

        var audit = (await _server.Services.Store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, int.MaxValue, ct))).Select(r => r.Json).ToList();
        var events = (await _server.Services.Store.ReadAsync((s, ct) => s.Events.ReadAfterAsync(0, int.MaxValue, ct)))
            .Select(e => System.Text.Json.JsonSerializer.Serialize(e.Event, Core.Events.EventJson.Default.CofferEvent)).ToList();
        await _server.DisposeAsync();
        _server = null;

        var forms = new[] { _canary, Convert.ToBase64String(Encoding.UTF8.GetBytes(_canary)) };
        // The controls: the description is not a secret and the scans must see it, or they see nothing.
        Assert.True(Contains(await File.ReadAllBytesAsync(Path.Combine(_dataDir, "coffer.db")), Encoding.UTF8.GetBytes(visible)));
        Assert.Contains(audit, r => r.Contains(visible, StringComparison.Ordinal));
        Assert.Contains(events, e => e.Contains(visible, StringComparison.Ordinal));
        foreach (var file in Directory.EnumerateFiles(_dataDir))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.DoesNotContain(forms, f => Contains(bytes, Encoding.UTF8.GetBytes(f)));
        }

        Assert.Equal(6, errors.Count);
        Assert.NotEmpty(_logs.Lines);
        foreach (var text in new[] { audit, events, errors, _logs.Lines.ToList() })
        {
            Assert.DoesNotContain(text, t => forms.Any(f => t.Contains(f, StringComparison.Ordinal)));
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_dataDir, recursive: true);
    }
}
