namespace Coffer.Agent;

/// <summary>The native <c>coffer-agent</c> executable; <c>coffer agent</c> runs the same code.</summary>
internal static class Program
{
    private static Task<int> Main() => AgentProgram.RunAsync();
}
