namespace Coffer.Cli.Commands;

/// <summary>The exit codes scripts can rely on (documented in docs/security-model.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary><c>audit verify</c> found tampering (or any command failed in an ordinary way).</summary>
    public const int TamperingFound = 1;

    /// <summary>Not a data directory, or it could not be unsealed.</summary>
    public const int NotUsable = 2;

    /// <summary>The database could not be read: damaged, not a database, or missing its tables.</summary>
    public const int CannotRead = 3;

    /// <summary><c>server</c> refused to start: the audit log does not match its anchor.</summary>
    public const int AuditAnchorMismatch = 4;
}
