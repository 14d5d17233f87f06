using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Coffer.Core.Tests.Diagnostics;

/// <summary>
/// Every log message is a [LoggerMessage] with an explicit event id, and no two messages of the
/// shipped assemblies share one: an operator's alert on an id must mean one message.
/// </summary>
public sealed class LogEventIdTests
{
    /// <summary>The assemblies that log: Core, the server (with both stores), the agent and the client.</summary>
    private static readonly Assembly[] Shipped =
    [
        typeof(CoreEventIds).Assembly,
        typeof(Coffer.Server.CofferServices).Assembly,
        typeof(Coffer.Storage.Sqlite.SqliteStore).Assembly,
        typeof(Coffer.Storage.Postgres.PostgresStore).Assembly,
        typeof(Coffer.Agent.AgentOptions).Assembly,
        typeof(Coffer.Client.CofferClientOptions).Assembly,
    ];

    [Fact]
    public void Every_log_message_has_its_own_explicit_event_id()
    {
        var messages = Messages(Shipped);

        Assert.NotEmpty(messages);
        var problems = Duplicates(messages).Concat(WithoutId(messages).Select(m => $"no event id: {m}")).ToList();
        Assert.True(problems.Count == 0, string.Join("; ", problems));
    }

    [Fact]
    public void A_shared_event_id_is_reported_with_both_messages()
    {
        var messages = Messages([typeof(LogEventIdTests).Assembly]);

        var duplicate = Assert.Single(Duplicates(messages));
        Assert.Contains(nameof(DuplicateIds.First), duplicate, StringComparison.Ordinal);
        Assert.Contains(nameof(DuplicateIdsElsewhere.Second), duplicate, StringComparison.Ordinal);
        Assert.Contains(nameof(DuplicateIds.WithoutId), Assert.Single(WithoutId(messages)), StringComparison.Ordinal);
    }

    private static List<(int Id, string Method)> Messages(IEnumerable<Assembly> assemblies) =>
        [.. from assembly in assemblies
            from type in assembly.GetTypes()
            from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
            where attribute is not null
            select (attribute.EventId, $"{type.FullName}.{method.Name}")];

    private static List<string> Duplicates(List<(int Id, string Method)> messages) =>
        [.. messages.Where(m => m.Id > 0).GroupBy(m => m.Id).Where(g => g.Count() > 1)
            .Select(g => $"event id {g.Key}: {string.Join(", ", g.Select(m => m.Method))}")];

    private static List<string> WithoutId(List<(int Id, string Method)> messages) =>
        [.. messages.Where(m => m.Id <= 0).Select(m => m.Method)];
}

/// <summary>A deliberate duplicate and a missing id, so the checks above are seen to fail.</summary>
internal static partial class DuplicateIds
{
    [LoggerMessage(EventId = 9990, Level = LogLevel.Information, Message = "first")]
    public static partial void First(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "no id")]
    public static partial void WithoutId(ILogger logger);
}

/// <summary>In another class, as a duplicate across modules would be (the generator only checks within one).</summary>
internal static partial class DuplicateIdsElsewhere
{
    [LoggerMessage(EventId = 9990, Level = LogLevel.Information, Message = "second")]
    public static partial void Second(ILogger logger);
}
