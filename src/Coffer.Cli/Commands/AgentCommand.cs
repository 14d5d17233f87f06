using System.CommandLine;
using Coffer.Agent;
using Coffer.Server.Hosting;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer agent</c>: the local caching endpoint for functions (Coffer.Agent), configured by the
/// environment variables of AWS's Parameters and Secrets Lambda Extension. The options override
/// their variables; like the other commands, HTTPS also trusts the default data directory's CA
/// when <c>AWS_CA_BUNDLE</c> is not set.
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port") { Description = "Port on 127.0.0.1 (default: $PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, else 2773)." };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "The Coffer server (default: $AWS_ENDPOINT_URL)." };
        var command = new Command("agent", "Run the caching agent for functions, compatible with AWS's Parameters and Secrets Lambda Extension.") { port, endpoint };
        command.SetAction((parse, ct) =>
        {
            var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
            if (parse.GetValue(port) is { } p)
            {
                overrides["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (parse.GetValue(endpoint) is { Length: > 0 } url)
            {
                overrides["AWS_ENDPOINT_URL"] = url;
            }

            var ca = TlsFiles.CaCertificatePath(CofferServerOptions.DefaultDataDir());
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_CA_BUNDLE")) && File.Exists(ca))
            {
                overrides["AWS_CA_BUNDLE"] = ca;
            }

            return AgentProgram.RunAsync(name => overrides.TryGetValue(name, out var v) ? v : Environment.GetEnvironmentVariable(name), ct);
        });
        return command;
    }
}
