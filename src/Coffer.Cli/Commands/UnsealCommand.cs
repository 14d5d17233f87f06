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
            using var content = JsonContent.Create(new Dictionary<string, string> { ["passphrase"] = passphrase });
            using var response = await http.PostAsync(new Uri("/_coffer/unseal", UriKind.Relative), content, ct);
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
}
