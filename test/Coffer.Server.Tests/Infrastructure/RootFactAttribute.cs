namespace Coffer.Server.Tests.Infrastructure;

/// <summary>A fact that needs root on Linux (to mount a file system of its own); skipped, saying why, elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!IsRoot)
        {
            Skip = "needs root on Linux, to mount a small file system for the data directory";
        }
    }

    public static bool IsRoot => OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess;
}
