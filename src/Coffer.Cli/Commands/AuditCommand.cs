using System.CommandLine;
using System.Security.Cryptography;
using Coffer.Core.Audit;
using Coffer.Core.Crypto;
using Coffer.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer audit verify</c>: checks the audit log's keyed chain and its anchor, so a removed,
/// edited, re-linked or truncated record shows. It needs the root key (the chain's links are MACs
/// under a key derived from it), and unseals the way the server does: the key file, or the
/// passphrase from COFFER_UNSEAL_PASSPHRASE or a prompt. Exit codes: 0 intact, 1 tampering found,
/// 2 not a data directory or not unsealed, 3 the database cannot be read.
/// </summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var archiveDir = ArchiveDir();
        var verify = new Command(
            "verify",
            "Verify the audit trail's keyed chain across its sealed archive segments and the live log, and its anchor (works beside a running server). Exit codes: 0 intact, 1 tampering found, 2 not a data directory or not unsealed, 3 database unreadable.")
        {
            dataDir, archiveDir,
        };
        verify.SetAction((parse, _) => Task.FromResult(Verify(parse.GetValue(dataDir)!, parse.GetValue(archiveDir))));
        return new Command("audit", "Work with the audit log.") { verify, AuditTrailCommands.Query(), AuditTrailCommands.Tail(), AuditExportCommand.Create() };
    }

    /// <summary>Where the server writes archive segments (its audit-archive-dir setting).</summary>
    public static Option<string?> ArchiveDir() =>
        new("--archive-dir") { Description = "The folder of archive segments, if the server's audit-archive-dir setting moved it (default: audit-archive in the data directory)." };

    private static int Verify(string dir, string? archiveDir)
    {
        if (!File.Exists(Path.Combine(dir, "coffer.db")) || RootKeySeal.Detect(dir) is not { } seal)
        {
            Console.Error.WriteLine($"{dir} is not a Coffer data directory (no coffer.db or no root key).");
            return ExitCodes.NotUsable;
        }

        using var root = Unseal(dir, seal);
        if (root is null)
        {
            return ExitCodes.NotUsable;
        }

        using var keys = AuditKeys.Derive(root);
        try
        {
            using var log = AuditLogReader.Open(dir);
            var keyedFrom = log.KeyedFrom;
            var (status, anchor) = AuditAnchorFile.Read(dir, keys);
            var result = status switch
            {
                AnchorStatus.Invalid => new AuditVerification(AuditFinding.AnchorInvalid, null, 0, keyedFrom, null),
                AnchorStatus.Valid when anchor!.KeyedFrom != keyedFrom => new AuditVerification(AuditFinding.KeyedFromMismatch, null, 0, keyedFrom, anchor),
                _ => AuditHistory.Verify(archiveDir ?? AuditArchive.DefaultDirectory(dir), log.ReadAll(), keys, keyedFrom, anchor),
            };

            // A log an earlier version wrote and no server has anchored yet (no keyed record) may
            // lack the anchor; any other log must have one, or it could have been replaced wholesale.
            if (result.IsIntact && status == AnchorStatus.Missing && !(log.Unanchored && result.Sequence < keyedFrom))
            {
                result = result with { Finding = AuditFinding.AnchorMissing };
            }

            if (!result.IsIntact)
            {
                Console.Error.WriteLine(result.Message);
                return ExitCodes.TamperingFound;
            }

            Console.WriteLine(result.Message);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is SqliteException or InvalidCastException or InvalidOperationException or FormatException or OverflowException)
        {
            Console.Error.WriteLine($"Cannot read the audit log in {Path.Combine(dir, "coffer.db")}: {FirstLine(e.Message)}");
            return ExitCodes.CannotRead;
        }
    }

    private static RootKey? Unseal(string dir, SealKind seal)
    {
        try
        {
            if (seal == SealKind.KeyFile)
            {
                return RootKeySeal.ReadKeyFile(dir);
            }

            var passphrase = CommonOptions.ReadSecret("COFFER_UNSEAL_PASSPHRASE", "Unseal passphrase (the audit chain is keyed by the root key): ");
            var root = string.IsNullOrEmpty(passphrase) ? null : RootKeySeal.TryUnseal(dir, passphrase);
            if (root is null)
            {
                Console.Error.WriteLine("The passphrase does not unseal this data directory; the audit chain cannot be checked without the root key.");
            }

            return root;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or System.Text.Json.JsonException or CryptographicException or ArgumentException)
        {
            Console.Error.WriteLine($"Cannot read the root key in {dir}: {FirstLine(e.Message)}");
            return null;
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
