using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Coffer.Server.Auth;
using Coffer.Server.Tests.Infrastructure;
using Npgsql;

namespace Coffer.Server.Tests.Secrets;

/// <summary>
/// A real PostgreSQL password rotated on demand with <c>aws secretsmanager rotate-secret</c> by the
/// built-in rotators, while a function keeps reading the secret and connecting with it.
/// </summary>
public sealed class PostgresRotationTests(CofferFixture fixture, PostgresServer postgres) : IClassFixture<CofferFixture>, IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Single_user_rotation_changes_the_password_and_the_reading_function_keeps_working()
    {
        await postgres.ExecuteAsSuperuserAsync("CREATE ROLE alice LOGIN PASSWORD 'alice-initial-pw'");
        await SecretsKit.AwsAsync(fixture, "create-secret", "--name", "db/alice", "--secret-string", postgres.SecretJson("alice", "alice-initial-pw"));

        var reader = new ReadingFunction(fixture, "db/alice");
        var reading = reader.RunAsync();
        await reader.FirstReadAsync();
        await SecretsKit.AwsAsync(fixture, "rotate-secret", "--secret-id", "db/alice", "--rotation-lambda-arn", SecretsKit.SingleUser);
        await fixture.Server.Services.Secrets.WhenIdleAsync();
        await reader.StopAsync();
        await reading;

        var current = Password(await SecretsKit.SecretStringAsync(fixture, "db/alice"));
        Assert.NotEqual("alice-initial-pw", current);
        Assert.True(await postgres.CanLogInAsync("alice", current));
        Assert.False(await postgres.CanLogInAsync("alice", "alice-initial-pw"));
        Assert.Equal("alice-initial-pw", Password(await SecretsKit.SecretStringAsync(fixture, "db/alice", "AWSPREVIOUS")));
        Assert.True(reader.Connections > 0);
        Assert.Equal(0, reader.Failures);
    }

    [Fact]
    public async Task Alternating_users_rotation_switches_to_the_clone_and_back_leaving_the_previous_user_working()
    {
        await postgres.ExecuteAsSuperuserAsync("CREATE ROLE bob LOGIN PASSWORD 'bob-initial-pw'");
        var master = await SecretsKit.AwsAsync(fixture, "create-secret", "--name", "db/master", "--secret-string", postgres.SecretJson("postgres", PostgresServer.SuperuserPassword), "--query", "ARN", "--output", "text");
        await SecretsKit.AwsAsync(fixture, "create-secret", "--name", "db/bob", "--secret-string", postgres.SecretJson("bob", "bob-initial-pw", master));

        await SecretsKit.AwsAsync(fixture, "rotate-secret", "--secret-id", "db/bob", "--rotation-lambda-arn", SecretsKit.AlternatingUsers);
        await fixture.Server.Services.Secrets.WhenIdleAsync();
        using var first = JsonDocument.Parse(await SecretsKit.SecretStringAsync(fixture, "db/bob"));
        Assert.Equal("bob_clone", first.RootElement.GetProperty("username").GetString());
        Assert.True(await postgres.CanLogInAsync("bob_clone", Password(first)));
        Assert.True(await postgres.CanLogInAsync("bob", "bob-initial-pw"), "the previous user still works until the next rotation");

        await SecretsKit.AwsAsync(fixture, "rotate-secret", "--secret-id", "db/bob");
        await fixture.Server.Services.Secrets.WhenIdleAsync();
        using var second = JsonDocument.Parse(await SecretsKit.SecretStringAsync(fixture, "db/bob"));
        Assert.Equal("bob", second.RootElement.GetProperty("username").GetString());
        Assert.True(await postgres.CanLogInAsync("bob", Password(second)));
        Assert.False(await postgres.CanLogInAsync("bob", "bob-initial-pw"));
        Assert.True(await postgres.CanLogInAsync("bob_clone", Password(first)));
    }

    private static string Password(string secretJson)
    {
        using var doc = JsonDocument.Parse(secretJson);
        return Password(doc);
    }

    private static string Password(JsonDocument doc) => doc.RootElement.GetProperty("password").GetString()!;

    /// <summary>
    /// A function's reading side: it gets the secret (GetSecretValue over the wire, signed with SigV4)
    /// and connects with it, again and again. As AWS advises for single-user rotation, when the login
    /// fails it reads the secret again and retries, for a bounded time. A failure is a read that
    /// never reached the database.
    /// </summary>
    private sealed class ReadingFunction(CofferFixture fixture, string secretId)
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource _firstRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly HttpClient _http = new();

        public int Connections { get; private set; }

        public int Failures { get; private set; }

        public Task FirstReadAsync() => _firstRead.Task;

        public async Task StopAsync() => await _stop.CancelAsync();

        public async Task RunAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                if (await ConnectWithRetriesAsync())
                {
                    Connections++;
                    _firstRead.TrySetResult();
                }
                else
                {
                    Failures++;
                }
            }
        }

        private async Task<bool> ConnectWithRetriesAsync()
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                using var secret = JsonDocument.Parse(await GetSecretStringAsync());
                var s = secret.RootElement;
                var builder = new NpgsqlConnectionStringBuilder
                {
                    Host = s.GetProperty("host").GetString(),
                    Port = s.GetProperty("port").GetInt32(),
                    Username = s.GetProperty("username").GetString(),
                    Password = s.GetProperty("password").GetString(),
                    Database = "postgres",
                    Pooling = false,
                };
                try
                {
                    await using var connection = new NpgsqlConnection(builder.ConnectionString);
                    await connection.OpenAsync();
                    return true;
                }
                catch (PostgresException e) when (e.SqlState == "28P01")
                {
                    await Task.Delay(20);
                }
            }

            return false;
        }

        private async Task<string> GetSecretStringAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Endpoint + "/")
            {
                Content = new StringContent(JsonSerializer.Serialize(new { SecretId = secretId }), Encoding.UTF8),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
            request.Headers.Add("X-Amz-Target", "secretsmanager.GetSecretValue");
            await SigV4Signer.SignAsync(request, CofferFixture.AccessKeyId, CofferFixture.SecretAccessKey, null, CofferFixture.Region, "secretsmanager", DateTimeOffset.UtcNow);
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GetSecretValue failed during the rotation: {body}");
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.GetProperty("SecretString").GetString()!;
        }
    }
}
