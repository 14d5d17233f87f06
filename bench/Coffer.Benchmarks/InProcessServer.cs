using Coffer.Server.Auth;
using Coffer.Server.Aws;
using Coffer.Server.Aws.Protocol;
using Coffer.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coffer.Benchmarks;

/// <summary>
/// A started Coffer server whose request pipeline is also called directly, without a socket: the
/// same <see cref="RequestPipeline"/>, adapters and services the server's Kestrel calls, given an
/// <see cref="HttpContext"/> made here. The seeding command writes a data directory through it (what
/// the server would have written, audit records included, without HTTP's cost), and the allocation
/// benchmark measures one hot read through it.
/// </summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    /// <summary>The host requests are signed for; the pipeline never resolves it.</summary>
    public const string Host = "coffer.bench";

    private readonly RunningServer _server;
    private readonly RequestPipeline _pipeline;

    private InProcessServer(RunningServer server, RequestPipeline pipeline, SigV4Verifier verifier)
    {
        _server = server;
        _pipeline = pipeline;
        Verifier = verifier;
    }

    public RunningServer Server => _server;

    /// <summary>The pipeline's signature check, for measuring it alone.</summary>
    public SigV4Verifier Verifier { get; }

    /// <summary>Starts the server. <paramref name="requestClock"/> is the clock signatures are checked
    /// against (a fixed one lets a benchmark replay one signed request for as long as it runs).</summary>
    public static async Task<InProcessServer> StartAsync(CofferServerOptions options, TimeProvider? requestClock = null)
    {
        var server = await CofferServer.StartAsync(options, logging => logging.SetMinimumLevel(LogLevel.Warning));
        var services = server.Services;
        var verifier = new SigV4Verifier(services.Credentials, services.Time, requestClock ?? TimeProvider.System);
        var throttle = new Throttle(ThrottleSettings.Default, TimeProvider.System);
        var authenticator = new RequestAuthenticator(verifier, throttle);
        var json = new JsonProtocol(AwsServices.Json(), services, authenticator);
        var query = new QueryProtocol(AwsServices.Query(), services, authenticator);
        // No admin endpoints and no console: only AWS calls come this way, and /_coffer is never asked.
        var pipeline = new RequestPipeline(services, json, query, admin: null!, throttle, options.MaxRequestBodyBytes);
        return new InProcessServer(server, pipeline, verifier);
    }

    /// <summary>A signed request made into a context that can be sent again and again.</summary>
    public static Prepared Prepare(HttpRequestMessage signed)
    {
        var body = signed.Content?.ReadAsByteArrayAsync().GetAwaiter().GetResult() ?? [];
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = signed.Method.Method;
        request.Scheme = "http";
        request.Path = signed.RequestUri!.AbsolutePath;
        request.QueryString = new QueryString(signed.RequestUri.Query);
        foreach (var header in signed.Headers)
        {
            request.Headers[header.Key] = header.Value.ToArray();
        }

        if (signed.Content is not null)
        {
            foreach (var header in signed.Content.Headers)
            {
                request.Headers[header.Key] = header.Value.ToArray();
            }
        }

        request.ContentLength = body.Length;
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        return new Prepared(context, body);
    }

    /// <summary>Sends <paramref name="prepared"/> through the pipeline; the answer is in its context.</summary>
    public async Task SendAsync(Prepared prepared)
    {
        prepared.Reset();
        await _pipeline.InvokeAsync(prepared.Context);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    /// <summary>One request's context, its body and the buffer its answer is written to.</summary>
    internal sealed class Prepared(DefaultHttpContext context, byte[] body)
    {
        private readonly MemoryStream _requestBody = new(body, writable: false);
        private readonly MemoryStream _responseBody = new();

        public DefaultHttpContext Context { get; } = context;

        public byte[] Body { get; } = body;

        public int Status => Context.Response.StatusCode;

        public ReadOnlySpan<byte> Answer => _responseBody.GetBuffer().AsSpan(0, (int)_responseBody.Length);

        public void Reset()
        {
            _requestBody.Position = 0;
            _responseBody.SetLength(0);
            Context.Request.Body = _requestBody;
            Context.Response.Body = _responseBody;
            Context.Response.StatusCode = 200;
        }
    }
}
