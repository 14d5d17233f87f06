using System.CommandLine;
using Coffer.Server.Hosting;
using Microsoft.Extensions.Configuration;

namespace Coffer.Cli.Commands;

/// <summary>
/// The layers <c>coffer server</c>'s options are bound from, lowest precedence first: the settings
/// file (<c>--config</c>, else $COFFER_CONFIG, else <c>&lt;data-dir&gt;/coffer.json</c> if present),
/// $ASPNETCORE_URLS, the <c>COFFER_*</c> environment, then the options given on the command line.
/// </summary>
internal static class ServerSettings
{
    public const string FileName = "coffer.json";

    public static CofferServerOptions Bind(ParseResult parse, Option<string?> config, IReadOnlyList<Option> commandLine, List<string> errors)
    {
        var layers = new List<SettingsLayer>();
        var file = SettingsFile(parse, config, commandLine);
        if (file is not null)
        {
            try
            {
                var json = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(file), optional: false).Build();
                var layer = SettingsLayer.From(file, json, strict: true, _ => file);
                layers.Add(layer);
                WarnIfSecretsAreReadableByOthers(file, layer);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
            {
                errors.Add($"cannot read the settings file {file}: {(e.InnerException ?? e).Message}");
            }
        }

        if (Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is { Length: > 0 } aspnetUrls)
        {
            layers.Add(new SettingsLayer("ASPNETCORE_URLS", false, [new SettingsLayer.Entry("urls", aspnetUrls, "ASPNETCORE_URLS")]));
        }

        // Other COFFER_* variables (COFFER_URL, COFFER_ENDPOINT: the clients' settings) are not the server's: not strict.
        var environment = new ConfigurationBuilder().AddEnvironmentVariables("COFFER_").Build();
        layers.Add(SettingsLayer.From("environment", environment, strict: false, key => "COFFER_" + key));
        layers.Add(new SettingsLayer("command line", true, [.. commandLine.SelectMany(o => FromCommandLine(parse, o))]));
        return OptionsBinder.Bind<CofferServerOptions>(layers, errors);
    }

    /// <summary>A settings file that holds a secret should be the owner's alone, as root.key is.</summary>
    private static void WarnIfSecretsAreReadableByOthers(string file, SettingsLayer layer)
    {
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var sensitive = OptionsPrinter.Settable(typeof(CofferServerOptions)).Where(OptionsPrinter.IsSensitive).Select(p => OptionsBinder.Normalize(p.Name)).ToHashSet();
        var secrets = layer.Entries.Where(e => sensitive.Contains(OptionsBinder.Normalize(e.Key))).Select(e => e.Key).ToList();
        if (secrets.Count > 0 && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & others) != 0)
        {
            Console.Error.WriteLine($"coffer server: warning: {file} holds {string.Join(", ", secrets)} and other users can read it; chmod 600 it.");
        }
    }

    private static string? SettingsFile(ParseResult parse, Option<string?> config, IReadOnlyList<Option> commandLine)
    {
        if (parse.GetValue(config) is { Length: > 0 } given)
        {
            return given;
        }

        if (Environment.GetEnvironmentVariable("COFFER_CONFIG") is { Length: > 0 } fromEnv)
        {
            return fromEnv;
        }

        var dataDirOption = commandLine.OfType<Option<string?>>().Single(o => o.Name == "--data-dir");
        var dataDir = parse.GetValue(dataDirOption) ?? CofferServerOptions.DefaultDataDir();
        var inDataDir = Path.Combine(dataDir, FileName);
        return File.Exists(inDataDir) ? inDataDir : null;
    }

    private static IEnumerable<SettingsLayer.Entry> FromCommandLine(ParseResult parse, Option option)
    {
        var result = parse.GetResult(option);
        if (result is null || result.Implicit)
        {
            yield break;
        }

        var value = result.GetValueOrDefault<object?>() switch
        {
            bool b => b ? "true" : "false",
            string[] list => string.Join(',', list),
            { } other => other.ToString(),
            null => null,
        };
        if (value is not null)
        {
            yield return new SettingsLayer.Entry(option.Name.TrimStart('-'), value, option.Name);
        }
    }
}
