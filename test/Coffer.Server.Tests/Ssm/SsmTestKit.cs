using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Core.Events;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Ssm;

/// <summary>The SSM client and the small helpers the Parameter Store tests share.</summary>
public static class SsmTestKit
{
    public static AmazonSimpleSystemsManagementClient Ssm(this CofferFixture fixture, string region = CofferFixture.Region) =>
        new(fixture.Credentials(), new AmazonSimpleSystemsManagementConfig
        {
            ServiceURL = fixture.Endpoint,
            AuthenticationRegion = region,
            MaxErrorRetry = 0,
        });

    /// <summary>A fresh path per test, so tests sharing a server never see each other's parameters.</summary>
    public static string UniquePath(string stem = "t") => $"/{stem}{Guid.NewGuid():N}"[..14];

    public static Task<PutParameterResponse> PutAsync(this AmazonSimpleSystemsManagementClient ssm, string name, string value, ParameterType? type = null, bool overwrite = false) =>
        ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = value, Type = type ?? (overwrite ? null : ParameterType.String), Overwrite = overwrite });

    public static async Task<Parameter> GetAsync(this AmazonSimpleSystemsManagementClient ssm, string name, bool decrypt = true) =>
        (await ssm.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = decrypt })).Parameter;

    /// <summary>Every event of the server's outbox.</summary>
    public static async Task<IReadOnlyList<StoredEvent>> EventsAsync(this CofferFixture fixture) =>
        await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Events.ReadAfterAsync(0, int.MaxValue, ct));

    public static async Task<IReadOnlyList<string>> AuditRecordsAsync(this CofferFixture fixture) =>
        (await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, int.MaxValue, ct))).Select(r => r.Json).ToList();

    /// <summary>The versions of a parameter, in order, as history reports them.</summary>
    public static async Task<List<ParameterHistory>> HistoryAsync(this AmazonSimpleSystemsManagementClient ssm, string name, bool decrypt = false)
    {
        var all = new List<ParameterHistory>();
        string? token = null;
        do
        {
            var page = await ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = name, WithDecryption = decrypt, NextToken = token, MaxResults = 50 });
            all.AddRange(page.Parameters ?? []);
            token = page.NextToken;
        }
        while (token is not null);

        return all;
    }
}
