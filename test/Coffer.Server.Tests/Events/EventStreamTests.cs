using System.Net;
using System.Text.Json;
using Coffer.Server.Auth;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Events;

/// <summary>The live stream <c>GET /_coffer/events/stream</c> (issue 9): SigV4-signed, server-sent
/// events, resumable after an event id.</summary>
public sealed class EventStreamTests(FastDeliveryFixture fixture) : IClassFixture<FastDeliveryFixture>
{
    [Fact]
    public async Task The_stream_shows_changes_live_and_resumes_after_an_event_id()
    {
        await SsmAsync("/app/stream/a");
        string idOfA;
        using (var stream = await OpenAsync(null))
        {
            idOfA = (await ReadUntilAsync(stream, "/app/stream/a")).Id;
        }

        using var resumed = await OpenAsync(idOfA);
        await SsmAsync("/app/stream/b");
        var (_, seen) = await ReadUntilAsync(resumed, "/app/stream/b");
        Assert.DoesNotContain(seen, e => e.GetProperty("id").GetString() == idOfA);
        Assert.DoesNotContain(seen, e => e.GetProperty("detail").TryGetProperty("name", out var n) && n.GetString() == "/app/stream/a");
    }

    [Fact]
    public async Task From_now_the_stream_skips_the_events_kept_and_starts_with_its_position_which_Last_Event_ID_resumes_after()
    {
        await SsmAsync("/app/now/a");
        string position;
        using (var stream = await OpenAsync(null, "?from=now"))
        {
            // The first message is an id alone: the position, with no event dispatched.
            var first = await stream.ReadLineAsync();
            Assert.StartsWith("id: ", first, StringComparison.Ordinal);
            Assert.Equal("", await stream.ReadLineAsync());
            position = first!["id: ".Length..];
        }

        // A change while disconnected; the reconnection keeps the same URL and says where it was, as EventSource does.
        await SsmAsync("/app/now/b");
        using var resumed = await OpenAsync(null, "?from=now", lastEventId: position);
        var (_, seen) = await ReadUntilAsync(resumed, "/app/now/b");
        Assert.DoesNotContain(seen, e => e.GetProperty("detail").TryGetProperty("name", out var n) && n.GetString() == "/app/now/a");
        Assert.DoesNotContain(seen, e => e.GetProperty("id").GetString() == position);
    }

    [Fact]
    public async Task Coffer_events_tail_prints_the_events_and_resumes_after_an_id()
    {
        await SsmAsync("/app/tail/c");
        var all = Lines(await Secrets.SecretsKit.CofferAsync(fixture, "events", "tail"));
        var c = all.Last(e => WebhookReceiver.IsParameterChange(e, "/app/tail/c"));

        await SsmAsync("/app/tail/d");
        var after = Lines(await Secrets.SecretsKit.CofferAsync(fixture, "events", "tail", "--after", c.GetProperty("id").GetString()!));
        Assert.DoesNotContain(after, e => e.GetProperty("id").GetString() == c.GetProperty("id").GetString());
        Assert.Contains(after, e => WebhookReceiver.IsParameterChange(e, "/app/tail/d"));
    }

    [Fact]
    public async Task An_unsigned_stream_request_is_refused()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(fixture.Endpoint + "/_coffer/events/stream"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<StreamReader> OpenAsync(string? after, string query = "", string? lastEventId = null)
    {
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var url = fixture.Endpoint + "/_coffer/events/stream" + (after is null ? query : "?after=" + Uri.EscapeDataString(after));
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        await SigV4Signer.SignAsync(request, CofferFixture.AccessKeyId, CofferFixture.SecretAccessKey, null, CofferFixture.Region, "events", DateTimeOffset.UtcNow);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new StreamReader(await response.Content.ReadAsStreamAsync());
    }

    /// <summary>Reads server-sent events until a change of the parameter arrives (generous timeout); returns its id and all events seen.</summary>
    private static async Task<(string Id, List<JsonElement> Seen)> ReadUntilAsync(StreamReader reader, string parameterName)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<JsonElement>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var e = JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
            seen.Add(e);
            if (WebhookReceiver.IsParameterChange(e, parameterName))
            {
                return (e.GetProperty("id").GetString()!, seen);
            }
        }

        throw new InvalidOperationException("The stream ended.");
    }

    private static List<JsonElement> Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private async Task SsmAsync(string name)
    {
        var (code, output) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, "ssm", "put-parameter", "--name", name, "--value", "v", "--type", "String", "--overwrite"], ExternalClient.AwsEnvironment(fixture));
        Assert.True(code == 0, output);
    }
}
