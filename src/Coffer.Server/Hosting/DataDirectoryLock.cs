using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Coffer.Server.Hosting;

/// <summary>A data directory is in use by another process (issue 8); the message names it.</summary>
public sealed class DataDirectoryInUseException(string message) : Exception(message);

/// <summary>
/// The exclusive hold a server (or <c>coffer init</c>) has on a data directory, so that a second
/// process on the same directory refuses to start instead of failing every call. It is
/// <c>coffer.lock</c> opened with <see cref="FileShare.None"/>, which .NET takes as
/// <c>flock(LOCK_EX | LOCK_NB)</c> on Unix and as a share-mode lock on Windows: the operating system
/// drops it when the process dies, so a crash leaves no stale lock. Because a locked file cannot be
/// opened for reading by .NET either, the holder's pid and start time are also written to
/// <c>coffer.lock.owner</c>, for the refusal message.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "coffer.lock";
    public const string OwnerFileName = "coffer.lock.owner";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <summary>Takes the lock, making the directory (owner-only) if needed; throws <see cref="DataDirectoryInUseException"/> if it is held.</summary>
    public static DataDirectoryLock Acquire(string dataDir)
    {
        if (!Directory.Exists(dataDir))
        {
            Directory.CreateDirectory(dataDir);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        FileStream file;
        try
        {
            file = new FileStream(Path.Combine(dataDir, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new DataDirectoryInUseException($"The data directory {dataDir} is in use by {DescribeHolder(dataDir)}; stop it first, or use another --data-dir.");
        }

        using var self = Process.GetCurrentProcess();
        var owner = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"pid {Environment.ProcessId} since {self.StartTime.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC\n"));
        file.SetLength(0);
        file.Write(owner);
        file.Flush();
        File.WriteAllBytes(Path.Combine(dataDir, OwnerFileName), owner);
        return new DataDirectoryLock(file);
    }

    /// <summary>Throws <see cref="DataDirectoryInUseException"/> if another process holds the lock now.</summary>
    public static void ThrowIfHeld(string dataDir)
    {
        if (Directory.Exists(dataDir))
        {
            Acquire(dataDir).Dispose();
        }
    }

    public void Dispose() => _file.Dispose();

    private static string DescribeHolder(string dataDir)
    {
        try
        {
            var owner = File.ReadAllText(Path.Combine(dataDir, OwnerFileName)).Trim();
            return owner.StartsWith("pid ", StringComparison.Ordinal) ? "coffer server " + owner : "another coffer process";
        }
        catch (IOException)
        {
            return "another coffer process";
        }
        catch (UnauthorizedAccessException)
        {
            return "another coffer process";
        }
    }
}
