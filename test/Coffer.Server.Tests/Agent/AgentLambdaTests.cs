using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Coffer.Agent;

namespace Coffer.Server.Tests.Agent;

/// <summary>Issue 12: with AWS_LAMBDA_RUNTIME_API set, the agent registers as a Lambda extension,
/// serves during INVOKE and stops on SHUTDOWN; tried against a small fake Runtime API on loopback.</summary>
public sealed class AgentLambdaTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    [Fact]
    public async Task As_a_Lambda_extension_the_agent_registers_serves_during_invoke_and_stops_on_shutdown()
    {
        await fixture.SecretsAsync("CreateSecret", new { Name = "agent/lambda/s", SecretString = "from-lambda" });
        var port = FreePort();
        using var runtime = new FakeRuntimeApi();
        var env = new Dictionary<string, string>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = runtime.Address,
            ["AWS_TOKEN"] = AgentFixture.Token,
            ["AWS_ACCESS_KEY_ID"] = AgentFixture.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = AgentFixture.SecretAccessKey,
            ["AWS_REGION"] = AgentFixture.Region,
            ["AWS_ENDPOINT_URL"] = fixture.Endpoint,
            ["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL"] = "none",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["AWS_CONFIG_FILE"] = "/dev/null",
        };
        var run = AgentProgram.RunAsync(name => env.GetValueOrDefault(name));

        // The "function" reads its secret while the extension waits for its next event.
        await runtime.Invoked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Add("X-Aws-Parameters-Secrets-Token", AgentFixture.Token);
        var value = await AgentReadTests.SecretAsync(http, "/secretsmanager/get?secretId=agent/lambda/s");
        runtime.Shutdown.SetResult();

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("from-lambda", value);
        Assert.Equal("coffer-agent-test-id", runtime.NextCalledWith.Distinct().Single());
        Assert.Contains("\"INVOKE\"", runtime.RegisteredEvents, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(runtime.ExtensionName));
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>The two calls of the Extensions API an extension makes, on loopback: register, then
    /// event/next answered with INVOKE once and SHUTDOWN when the test says so.</summary>
    private sealed class FakeRuntimeApi : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;
        private int _nexts;

        public FakeRuntimeApi()
        {
            var port = FreePort();
            Address = $"127.0.0.1:{port}";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public string Address { get; }

        public string RegisteredEvents { get; private set; } = "";

        public string? ExtensionName { get; private set; }

        public ConcurrentQueue<string?> NextCalledWith { get; } = new();

        public TaskCompletionSource Invoked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Shutdown { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                _ = Task.Run(() => HandleAsync(context));
            }
        }

        private async Task HandleAsync(HttpListenerContext context)
        {
            var path = context.Request.Url!.AbsolutePath;
            string body;
            if (path == "/2020-01-01/extension/register" && context.Request.HttpMethod == "POST")
            {
                ExtensionName = context.Request.Headers["Lambda-Extension-Name"];
                RegisteredEvents = await new StreamReader(context.Request.InputStream).ReadToEndAsync();
                context.Response.AddHeader("Lambda-Extension-Identifier", "coffer-agent-test-id");
                body = """{"functionName":"f","functionVersion":"$LATEST","handler":"index.handler"}""";
            }
            else if (path == "/2020-01-01/extension/event/next")
            {
                NextCalledWith.Enqueue(context.Request.Headers["Lambda-Extension-Identifier"]);
                if (Interlocked.Increment(ref _nexts) == 1)
                {
                    body = """{"eventType":"INVOKE","deadlineMs":1,"requestId":"r-1","invokedFunctionArn":"arn:aws:lambda:us-east-1:111122223333:function:f"}""";
                    Invoked.SetResult();
                }
                else
                {
                    await Shutdown.Task;
                    body = """{"eventType":"SHUTDOWN","shutdownReason":"spindown","deadlineMs":1}""";
                }
            }
            else
            {
                context.Response.StatusCode = 404;
                body = "{}";
            }

            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
