using Coffer.Core.Audit;

namespace Coffer.Core.Tests.Audit;

/// <summary>Issue 11: a record's index rows are the same whether the writer takes them from the
/// entry it appended or reads them back from the record's JSON (after a restart, or on another node).</summary>
public sealed class AuditLookupIndexTests
{
    public static TheoryData<string, string, string?> Identities => new()
    {
        { "IAMUser", "arn:aws:iam::111122223333:user/alice", "alice" },
        { "Root", "arn:aws:iam::111122223333:root", null },
        { "AssumedRole", "arn:aws:sts::111122223333:assumed-role/deployer/ci-run-7", null },
        { "AWSService", "arn:aws:iam::111122223333:root", null },
    };

    [Theory]
    [MemberData(nameof(Identities))]
    public void The_rows_read_back_from_a_record_are_the_rows_of_its_entry(string type, string arn, string? userName)
    {
        var entry = AuditEntry.From(new AuditRecord
        {
            UserIdentity = new AuditIdentity(type, "AIDAEXAMPLE", arn, "111122223333", type == "AWSService" ? null : "AKIAEXAMPLE", userName),
            EventTime = DateTimeOffset.UtcNow,
            EventSource = "secretsmanager.amazonaws.com",
            EventName = "GetSecretValue",
            AwsRegion = "eu-west-1",
            RequestId = "r",
            EventId = Guid.CreateVersion7().ToString(),
            ReadOnly = true,
            Resources =
            [
                new AuditResource("arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf", "AWS::SecretsManager::Secret"),
                new AuditResource("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "AWS::KMS::Key"),
            ],
            RecipientAccountId = "111122223333",
        });

        Assert.Equal(entry.IndexRows, AuditLookupIndex.RowsOf(entry.Json));
        Assert.Contains((AuditLookupIndex.NameKind, "prod/db"), entry.IndexRows);
        Assert.Contains((AuditLookupIndex.NameKind, "1234abcd-12ab-34cd-56ef-1234567890ab"), entry.IndexRows);
        Assert.Contains((AuditLookupIndex.ReadOnlyKind, "true"), entry.IndexRows);
        Assert.Contains((AuditLookupIndex.UsernameKind, type switch { "IAMUser" => "alice", "Root" => "root", "AssumedRole" => "ci-run-7", _ => "AIDAEXAMPLE" }), entry.IndexRows);
    }

    [Fact]
    public void A_block_holds_BlockSize_consecutive_records()
    {
        Assert.Equal((0L, 0), AuditLookupIndex.BlockOf(1));
        Assert.Equal((0L, AuditLookupIndex.BlockSize - 1), AuditLookupIndex.BlockOf(AuditLookupIndex.BlockSize));
        Assert.Equal((1L, 0), AuditLookupIndex.BlockOf(AuditLookupIndex.BlockSize + 1));
        Assert.Equal(777, AuditLookupIndex.SequenceOf(AuditLookupIndex.BlockOf(777).Block, AuditLookupIndex.BlockOf(777).Bit));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    public void A_record_that_is_not_a_json_object_has_no_rows(string json) => Assert.Empty(AuditLookupIndex.RowsOf(json));
}
