namespace Coffer.Server.Tests.Console;

/// <summary>The console's browser tests share one seeded server and one chromium, and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "Console in a browser";
}
