using System.Reflection;
using Coffer.Core;
using Coffer.Server;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Tests.Security;

/// <summary>
/// Log messages are source-generated with stable event ids that operators alert on: no id is used
/// twice, and no message template names a parameter that could carry a secret value.
/// </summary>
public sealed class LogMessageTests
{
    private static readonly string[] SecretWords = ["secret", "password", "passphrase", "plaintext", "value", "token", "key material"];

    /// <summary>
    /// Every Coffer assembly beside the tests (server, core, stores, CLI, and any project added
    /// later: the agent, the client), found by file name so a new one cannot be forgotten (issue 14).
    /// </summary>
    public static IReadOnlyList<Assembly> CofferAssemblies() =>
        [.. Directory.GetFiles(AppContext.BaseDirectory, "*.dll")
            .Where(f => Path.GetFileName(f) is var n && (n.StartsWith("Coffer.", StringComparison.Ordinal) || n == "coffer.dll") && !n.Contains(".Tests", StringComparison.Ordinal))
            .Select(f => Assembly.LoadFrom(f))
            .Concat([typeof(CofferServices).Assembly, typeof(CoreEventIds).Assembly])
            .Distinct()];

    public static IEnumerable<(MethodInfo Method, LoggerMessageAttribute Attribute)> Messages() =>
        CofferAssemblies()
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()!))
            .Where(x => x.Attribute is not null);

    [Fact]
    public void Every_log_message_has_its_own_event_id()
    {
        var messages = Messages().ToList();
        Assert.NotEmpty(messages);
        var duplicates = messages.GroupBy(m => m.Attribute.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method.DeclaringType!.Name + "." + m.Method.Name))}").ToList();
        Assert.True(duplicates.Count == 0, "event ids used twice: " + string.Join("; ", duplicates));
        Assert.DoesNotContain(messages, m => m.Attribute.EventId == 0);
    }

    [Fact]
    public void The_scan_covers_the_server_core_store_and_cli_assemblies()
    {
        var names = CofferAssemblies().Select(a => a.GetName().Name).ToList();
        Assert.Contains("Coffer.Server", names);
        Assert.Contains("Coffer.Core", names);
        Assert.Contains("Coffer.Storage.Sqlite", names);
        Assert.Contains("coffer", names);
    }

    [Fact]
    public void No_log_message_template_has_a_parameter_that_could_carry_a_secret()
    {
        var suspicious = Messages()
            .SelectMany(m => Placeholders(m.Attribute.Message).Select(p => (m.Method, Placeholder: p)))
            .Where(x => SecretWords.Any(w => x.Placeholder.Contains(w.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)))
            .Select(x => $"{x.Method.DeclaringType!.Name}.{x.Method.Name}: {{{x.Placeholder}}}")
            .ToList();
        Assert.True(suspicious.Count == 0, "templates with secret-looking parameters: " + string.Join("; ", suspicious));
    }

    private static IEnumerable<string> Placeholders(string template)
    {
        for (var open = template.IndexOf('{', StringComparison.Ordinal); open >= 0; open = template.IndexOf('{', open + 1))
        {
            var close = template.IndexOf('}', open);
            if (close > open)
            {
                yield return template[(open + 1)..close];
            }
        }
    }
}
