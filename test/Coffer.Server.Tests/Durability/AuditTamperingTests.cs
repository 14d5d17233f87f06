using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Coffer.Core.Audit;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Coffer.Server.Tests.Durability;

/// <summary>
/// Issue 8, item 3: tampering with the audit log of a real data directory, the way the outside
/// review did it (SQL against coffer.db), shows in `coffer audit verify` and stops the server.
/// </summary>
public sealed partial class AuditTamperingTests : IDisposable
{
    private const int Calls = 8;
    private readonly string _dataDir = Path.Combine(Directory.CreateTempSubdirectory("coffer-audit-").FullName, "data");

    [Fact]
    public async Task Deleting_the_last_records_is_found_and_the_server_refuses_to_start_issue_8()
    {
        await InitAndAuditAsync();
        Sql($"DELETE FROM audit_log WHERE seq > {Calls - 3}");

        var (exit, output) = await VerifyAsync();
        Assert.True(exit == 1, output);
        Assert.Contains("truncated", output, StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => CofferProcess.StartServerAsync(_dataDir));
        Assert.Contains("refusing to start", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--accept-audit-anchor-mismatch", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_every_record_is_found_issue_8()
    {
        await InitAndAuditAsync();
        Sql("DELETE FROM audit_log");

        var (exit, output) = await VerifyAsync();
        Assert.True(exit == 1, output);
        Assert.Contains("truncated", output, StringComparison.Ordinal);
        Assert.Contains("ends at record 0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edit_with_every_later_link_recomputed_is_found_issue_8()
    {
        await InitAndAuditAsync();

        // What the review did: edit record 2 and recompute every later link, here with the
        // unkeyed SHA-256 chain the log used to have (the attacker has no root key).
        using (var db = Open())
        {
            Exec(db, "UPDATE audit_log SET record = replace(record, 'CreateKey', 'ListKeys') WHERE seq = 2");
            var previous = (byte[])Scalar(db, "SELECT hash FROM audit_log WHERE seq = 1")!;
            for (var seq = 2; seq <= Calls; seq++)
            {
                var json = (string)Scalar(db, $"SELECT record FROM audit_log WHERE seq = {seq}")!;
                var hash = AuditChain.UnkeyedLink(previous, json);
                using var update = db.CreateCommand();
                update.CommandText = "UPDATE audit_log SET prev_hash = $p, hash = $h WHERE seq = $s";
                update.Parameters.AddWithValue("$p", previous);
                update.Parameters.AddWithValue("$h", hash);
                update.Parameters.AddWithValue("$s", seq);
                update.ExecuteNonQuery();
                previous = hash;
            }
        }

        var (exit, output) = await VerifyAsync();
        Assert.True(exit == 1, output);
        Assert.Contains("broken at record 2", output, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => CofferProcess.StartServerAsync(_dataDir));
    }

    [Fact]
    public async Task A_deleted_anchor_is_found_issue_8()
    {
        await InitAndAuditAsync();
        File.Delete(Path.Combine(_dataDir, AuditAnchorFile.FileName));

        var (exit, output) = await VerifyAsync();
        Assert.True(exit == 1, output);
        Assert.Contains("anchor (audit.anchor) is missing", output, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => CofferProcess.StartServerAsync(_dataDir));
    }

    [Fact]
    public async Task The_operator_can_accept_a_mismatch_which_is_re_anchored_and_recorded()
    {
        await InitAndAuditAsync();
        Sql($"DELETE FROM audit_log WHERE seq > {Calls - 2}");

        await using (var server = await CofferProcess.StartServerAsync(_dataDir, null, "--accept-audit-anchor-mismatch"))
        {
            Assert.Contains("mismatch accepted by the operator", server.Output, StringComparison.Ordinal);
            using var kms = Kms(server.Endpoint);
            await kms.ListKeysAsync(new ListKeysRequest());
        }

        var (exit, output) = await VerifyAsync();
        Assert.True(exit == 0, output);
        using var db = Open();
        var record = (string)Scalar(db, $"SELECT record FROM audit_log WHERE seq = {Calls - 1}")!;
        Assert.Contains("\"eventName\":\"AnchorAuditLog\"", record, StringComparison.Ordinal);
        Assert.Contains("operatorAcceptedAnchorMismatch", record, StringComparison.Ordinal);
        Assert.Contains("Truncated", record, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passphrase_sealed_directory_is_verified_with_its_passphrase_and_stays_sealed_over_a_truncated_log_issue_8()
    {
        const string passphrase = "audit chain passphrase";
        var env = new Dictionary<string, string> { ["COFFER_UNSEAL_PASSPHRASE"] = passphrase };
        await InitAndAuditAsync(env, "--seal", "passphrase");
        Sql($"DELETE FROM audit_log WHERE seq > {Calls - 1}");

        var wrong = await CofferProcess.RunAsync(["audit", "verify", "--data-dir", _dataDir], stdin: "not it\n");
        Assert.True(wrong.ExitCode == 2, wrong.Output);
        var (exit, output) = await VerifyAsync(env);
        Assert.True(exit == 1, output);
        Assert.Contains("truncated", output, StringComparison.Ordinal);

        await using var sealedServer = await CofferProcess.StartServerAsync(_dataDir);
        var unseal = await CofferProcess.RunAsync(["unseal", "--url", sealedServer.Endpoint], stdin: passphrase + "\n");
        Assert.True(unseal.ExitCode != 0, unseal.Output);
        Assert.Contains("truncated", unseal.Output, StringComparison.Ordinal);
        using var kms = Kms(sealedServer.Endpoint);
        var refused = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => kms.ListKeysAsync(new ListKeysRequest()));
        Assert.Contains("sealed", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unkeyed_log_from_an_earlier_version_is_anchored_once_and_keyed_from_then_on()
    {
        await InitAndAuditAsync();

        // Make the directory look as an earlier version left it: unkeyed links, schema before
        // migration 5, no anchor.
        using (var db = Open())
        {
            var previous = AuditChain.Genesis;
            for (var seq = 1; seq <= Calls; seq++)
            {
                var json = (string)Scalar(db, $"SELECT record FROM audit_log WHERE seq = {seq}")!;
                var hash = AuditChain.UnkeyedLink(previous, json);
                using var update = db.CreateCommand();
                update.CommandText = "UPDATE audit_log SET prev_hash = $p, hash = $h WHERE seq = $s";
                update.Parameters.AddWithValue("$p", previous);
                update.Parameters.AddWithValue("$h", hash);
                update.Parameters.AddWithValue("$s", seq);
                update.ExecuteNonQuery();
                previous = hash;
            }

            Exec(db, "DELETE FROM meta WHERE key LIKE 'audit_%'; DELETE FROM schema_migrations WHERE version = 5");
        }

        File.Delete(Path.Combine(_dataDir, AuditAnchorFile.FileName));
        var before = await VerifyAsync();
        Assert.True(before.ExitCode == 0, before.Output);
        Assert.Contains("not anchored", before.Output, StringComparison.Ordinal);

        await using (var server = await CofferProcess.StartServerAsync(_dataDir))
        {
            Assert.Contains("anchored for the first time", server.Output, StringComparison.Ordinal);
            using var kms = Kms(server.Endpoint);
            await kms.CreateKeyAsync(new CreateKeyRequest());
        }

        var (exit, output) = await VerifyAsync();
        Assert.True(exit == 0, output);
        Assert.Contains($"intact: {Calls + 2} records, keyed from record {Calls + 1}", output, StringComparison.Ordinal);

        // From then on the anchor is required, as for a fresh directory.
        File.Delete(Path.Combine(_dataDir, AuditAnchorFile.FileName));
        Assert.Equal(1, (await VerifyAsync()).ExitCode);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("missing table")]
    public async Task Verify_on_an_unreadable_database_says_so_in_one_line_with_exit_code_3_issue_8(string damage)
    {
        await InitAndAuditAsync();
        var path = Path.Combine(_dataDir, "coffer.db");
        if (damage == "garbage")
        {
            File.Delete(path + "-wal");
            File.Delete(path + "-shm");
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.Write(Enumerable.Range(0, 4096).Select(i => (byte)(i * 7 + 13)).ToArray());
        }
        else
        {
            Sql("DROP TABLE audit_log");
        }

        var (exit, output) = await VerifyAsync();
        Assert.True(exit == 3, output);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Cannot read the audit log", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }
}
