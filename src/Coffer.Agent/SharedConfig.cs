namespace Coffer.Agent;

/// <summary>
/// The AWS shared files as the SDKs read them: <c>~/.aws/credentials</c> (or
/// <c>AWS_SHARED_CREDENTIALS_FILE</c>) with a <c>[NAME]</c> section per profile, and
/// <c>~/.aws/config</c> (or <c>AWS_CONFIG_FILE</c>) with <c>[default]</c> and <c>[profile NAME]</c>.
/// The profile is <c>AWS_PROFILE</c>, else <c>default</c>.
/// </summary>
internal static class SharedConfig
{
    public static string Profile(Func<string, string?> env) => env("AWS_PROFILE") is { Length: > 0 } p ? p : "default";

    public static string? Region(Func<string, string?> env) => ConfigSection(env)?.GetValueOrDefault("region");

    /// <summary>The profile's keys from the credentials file, else from the config file.</summary>
    public static Dictionary<string, string>? CredentialsSection(Func<string, string?> env)
    {
        var file = env("AWS_SHARED_CREDENTIALS_FILE") is { Length: > 0 } f ? f : Home(".aws", "credentials");
        var fromCredentials = Read(file).GetValueOrDefault(Profile(env));
        return fromCredentials is not null && fromCredentials.ContainsKey("aws_access_key_id") ? fromCredentials : ConfigSection(env);
    }

    private static Dictionary<string, string>? ConfigSection(Func<string, string?> env)
    {
        var file = env("AWS_CONFIG_FILE") is { Length: > 0 } f ? f : Home(".aws", "config");
        var profile = Profile(env);
        var sections = Read(file);
        return sections.GetValueOrDefault(profile == "default" ? "default" : "profile " + profile)
            ?? sections.GetValueOrDefault(profile);
    }

    private static string Home(params string[] parts) =>
        Path.Combine([Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), .. parts]);

    /// <summary>An INI file: sections of <c>key = value</c> lines; <c>#</c> and <c>;</c> start comments.</summary>
    internal static Dictionary<string, Dictionary<string, string>> Read(string path)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return sections;
        }

        Dictionary<string, string>? current = null;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                var name = line[1..^1].Trim();
                current = sections.TryGetValue(name, out var existing) ? existing : sections[name] = new(StringComparer.Ordinal);
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (current is not null && eq > 0)
            {
                current[line[..eq].Trim().ToLowerInvariant()] = line[(eq + 1)..].Trim();
            }
        }

        return sections;
    }
}
