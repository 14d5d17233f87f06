using System.CommandLine;
using Coffer.Server.Hosting;

namespace Coffer.Cli.Commands;

internal static class CommonOptions
{
    public static Option<string> DataDir() => new("--data-dir")
    {
        Description = "The data directory (default: $COFFER_DATA_DIR, else $XDG_DATA_HOME/coffer, else ~/.local/share/coffer).",
        DefaultValueFactory = _ => CofferServerOptions.DefaultDataDir(),
    };

    /// <summary>The server to talk to: the option, else $COFFER_URL, else $AWS_ENDPOINT_URL, else the default address.</summary>
    public static Option<string> Url(string name = "--url") => new(name)
    {
        Description = $"The Coffer server (default: $COFFER_URL, else $AWS_ENDPOINT_URL, else {CofferServerOptions.DefaultHttpsUrls}). HTTPS is checked against the system's roots and $AWS_CA_BUNDLE (else the default data directory's tls/ca.pem).",
        DefaultValueFactory = _ => new[] { "COFFER_URL", "AWS_ENDPOINT_URL" }.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? CofferServerOptions.DefaultHttpsUrls,
    };

    /// <summary>Runs a command's body, reporting a failure the user can act on as one line, without a stack trace.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (e is CliException or HttpRequestException or System.Text.Json.JsonException or DataDirectoryInUseException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (System.Data.Common.DbException e)
        {
            // The database could not be reached or refused the work (backup, restore, migrate): one line,
            // not a stack trace. Neither driver puts the password in its messages.
            await Console.Error.WriteLineAsync($"coffer: the store: {e.Message}");
            return 1;
        }
    }

    /// <summary>Reads a secret from the environment, else from the terminal without echo, else from stdin.</summary>
    public static string? ReadSecret(string environmentVariable, string prompt)
    {
        var fromEnv = Environment.GetEnvironmentVariable(environmentVariable);
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }

        Console.Error.Write(prompt);
        var chars = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace && chars.Length > 0)
            {
                chars.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                chars.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return chars.ToString();
    }

    public static void PrintCredentials(RootCredentials credentials, string? file, string url)
    {
        Console.WriteLine($"Coffer root credentials for account {credentials.AccountId} (shown once{(file is null ? "" : $"; also in {file}, mode 0600")}):");
        Console.WriteLine();
        Console.WriteLine($"  export AWS_ACCESS_KEY_ID={credentials.AccessKeyId}");
        Console.WriteLine($"  export AWS_SECRET_ACCESS_KEY={credentials.SecretAccessKey}");
        // AWS CLI v1 and older SDKs read only AWS_DEFAULT_REGION; AWS_ENDPOINT_URL points every
        // current SDK and the CLI at Coffer without --endpoint-url.
        Console.WriteLine("  export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1");
        Console.WriteLine($"  export AWS_ENDPOINT_URL={url}");
        Console.WriteLine();
        Console.WriteLine($"Then, for example: aws --endpoint-url {url} kms create-key");
        Console.WriteLine("(AWS CLI v2 before 2.13 ignores AWS_ENDPOINT_URL; --endpoint-url works with every version.)");
        Console.Out.Flush();
    }
}
