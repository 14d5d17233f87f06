using System.Net;
using System.Net.Http.Json;
using System.CommandLine;
using System.Text.Json;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer unseal</c>: sends the passphrase to a sealed server (like <c>vault operator unseal</c>).</summary>
internal static class UnsealCommand
{
    public static Command Create()
    {
        var url = CommonOptions.Url();
        var command = new Command("unseal", "Unseal a running server with its passphrase (from COFFER_UNSEAL_PASSPHRASE, stdin or a prompt).") { url };
        command.SetAction((parse, ct) => CommonOptions.RunAsync(async () =>
        {
            var passphrase = CommonOptions.ReadSecret("COFFER_UNSEAL_PASSPHRASE", "Unseal passphrase: ");
            if (string.IsNullOrEmpty(passphrase))
            {
                Console.Error.WriteLine("No passphrase given.");
                return 1;
            }

            using var http = CofferHttp.CreateClient();
            http.BaseAddress = new Uri(parse.GetValue(url)!);
            http.Timeout = TimeSpan.FromMinutes(10);
            var response = await PostAsync(http, passphrase, ct);

            // The server runs one attempt at a time and refuses more than a few waiting (issue 8):
            // when others are unsealing at the same moment, wait as told and try again, a few times.
            for (var retry = 0; retry < 5 && response.StatusCode == HttpStatusCode.TooManyRequests; retry++)
            {
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                response.Dispose();
                Console.Error.WriteLine($"The server is busy with other unseal attempts; trying again in {wait.TotalSeconds:0} s.");
                await Task.Delay(wait < TimeSpan.FromSeconds(60) ? wait : TimeSpan.FromSeconds(60), ct);
                response = await PostAsync(http, passphrase, ct);
            }

            using var answer = response;
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            if (!response.IsSuccessStatusCode)
            {
                Console.Error.WriteLine(doc.RootElement.TryGetProperty("message", out var m) ? m.GetString() : $"Unseal failed ({(int)response.StatusCode}).");
                return 1;
            }

            Console.WriteLine("Unsealed.");
            return 0;
        }));
        return command;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string passphrase, CancellationToken ct)
    {
        using var content = JsonContent.Create(new Dictionary<string, string> { ["passphrase"] = passphrase });
        return await http.PostAsync(new Uri("/_coffer/unseal", UriKind.Relative), content, ct);
    }
}
