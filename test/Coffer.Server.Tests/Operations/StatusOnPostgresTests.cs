using System.Net;
using System.Text.Json;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;
using Coffer.Server.Tests.Storage;

namespace Coffer.Server.Tests.Operations;

/// <summary>
/// Issue 14: on PostgreSQL, <c>/_coffer/status</c> names the store as PostgreSQL without its password
/// (it said "sqlite" and the data directory), and says whether this node holds the schedule lease,
/// which only one node of several does (issue 10).
/// </summary>
public sealed class StatusOnPostgresTests(PostgresHarness harness) : IClassFixture<PostgresHarness>, INeedsPostgres
{
    [StoreFact]
    public async Task On_postgres_the_status_names_the_store_without_its_password_and_whether_this_node_runs_scheduled_work()
    {
        await using var server = await CofferServer.StartAsync(new CofferServerOptions
        {
            Dev = true,
            Store = await harness.NewInstallationAsync(),
            Urls = "http://127.0.0.1:0",
            DevAccountId = CofferFixture.AccountId,
            DevRootAccessKeyId = CofferFixture.AccessKeyId,
            DevRootSecretAccessKey = CofferFixture.SecretAccessKey,
            ScheduleInterval = TimeSpan.FromMilliseconds(50),
        });

        using var http = new HttpClient();
        JsonElement status;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            using var response = await http.GetAsync(new Uri(server.BaseAddress, AdminEndpoints.StatusPath));
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain(PostgresServer.SuperuserPassword, text, StringComparison.Ordinal);
            status = JsonDocument.Parse(text).RootElement.Clone();
        }
        while (status.GetProperty("scheduler").GetProperty("runsHere").ValueKind == JsonValueKind.Null && DateTime.UtcNow < deadline && await Delay());

        var store = status.GetProperty("store");
        Assert.Equal("postgres", store.GetProperty("kind").GetString());
        Assert.StartsWith("postgres://postgres:(redacted)@127.0.0.1:", store.GetProperty("location").GetString(), StringComparison.Ordinal);

        // Alone on its database, this node takes the lease at its first round.
        Assert.True(status.GetProperty("scheduler").GetProperty("runsHere").GetBoolean(), status.ToString());
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(50);
        return true;
    }
}
