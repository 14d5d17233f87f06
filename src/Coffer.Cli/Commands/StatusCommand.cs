using System.CommandLine;
using System.Net;
using System.Text.Json;
using Coffer.Server.Auth;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer status</c>: the server's state for people (like <c>vault status</c>). It reads
/// <c>/_coffer/status</c>, signed when AWS credentials are in the environment (needs
/// <c>coffer:GetStatus</c>) and unsigned otherwise (answered on loopback); when that is refused it
/// falls back to the health endpoints, which anyone may read. Exit code 0 when ready, 2 when
/// sealed or not ready, 1 when the server cannot be reached.
/// </summary>
internal static class StatusCommand
{
    public const int NotReady = 2;

    public static Command Create()
    {
        var url = CommonOptions.Url();
        var json = new Option<bool>("--json") { Description = "Print the server's answer as JSON." };
        var command = new Command("status", "Show the server's seal state, version, store, audit head, scheduler node, pending events and disk.") { url, json };
        command.SetAction((parse, ct) => CommonOptions.RunAsync(async () =>
        {
            using var http = CofferHttp.CreateClient();
            var endpoint = new Uri(parse.GetValue(url)!);
            var (status, text) = await GetAsync(http, new Uri(endpoint, "/_coffer/status"), sign: HasCredentials(), ct);
            var (readyStatus, readyText) = await GetAsync(http, new Uri(endpoint, "/_coffer/health/ready"), sign: false, ct);
            using var ready = JsonDocument.Parse(readyText);
            var isReady = readyStatus == HttpStatusCode.OK;
            if (parse.GetValue(json))
            {
                Console.WriteLine(status == HttpStatusCode.OK ? text : readyText);
                return isReady ? 0 : NotReady;
            }

            Console.WriteLine($"Server:      {endpoint}");
            if (status == HttpStatusCode.OK)
            {
                using var doc = JsonDocument.Parse(text);
                StatusPrinter.Print(doc.RootElement, ready.RootElement);
            }
            else
            {
                StatusPrinter.PrintReadiness(ready.RootElement);
                using var refusal = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
                var why = refusal.RootElement.TryGetProperty("message", out var m) ? m.GetString() : $"HTTP {(int)status}";
                Console.WriteLine();
                Console.WriteLine($"(Only the health check is shown: /_coffer/status answered {(int)status}: {why}");
                Console.WriteLine(" Run this on the server's host, or with AWS credentials allowed coffer:GetStatus.)");
            }

            return isReady ? 0 : NotReady;
        }));
        return command;
    }

    private static bool HasCredentials() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"))
        && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"));

    private static async Task<(HttpStatusCode Status, string Text)> GetAsync(HttpClient http, Uri uri, bool sign, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (sign)
        {
            var region = new[] { "AWS_REGION", "AWS_DEFAULT_REGION" }.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "us-east-1";
            var token = Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN") is { Length: > 0 } t ? t : null;
            await SigV4Signer.SignAsync(request, Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID")!, Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY")!, token, region, "coffer", DateTimeOffset.UtcNow);
        }

        using var response = await http.SendAsync(request, ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }
}
