using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Ssm;

/// <summary>History and labels: who changed what when, labels that move, and the limits AWS keeps.</summary>
public sealed class LabelHistoryTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly AmazonSimpleSystemsManagementClient _ssm = fixture.Ssm();

    [Fact]
    public async Task History_lists_every_version_with_labels_and_decrypts_only_when_asked()
    {
        var name = SsmTestKit.UniquePath() + "/pw";
        await _ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "first", Type = ParameterType.SecureString, Description = "v1" });
        await _ssm.PutAsync(name, "second", overwrite: true);
        await _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, ParameterVersion = 1, Labels = ["old", "Blue"] });

        var plain = await _ssm.HistoryAsync(name, decrypt: true);
        var encrypted = await _ssm.HistoryAsync(name, decrypt: false);

        Assert.Equal(["first", "second"], plain.Select(h => h.Value));
        Assert.DoesNotContain(encrypted, h => h.Value is "first" or "second");
        Assert.Equal(["Blue", "old"], plain[0].Labels);
        Assert.Empty(plain[1].Labels ?? []);
        Assert.All(plain, h => Assert.Equal($"arn:aws:iam::{CofferFixture.AccountId}:root", h.LastModifiedUser));
        Assert.All(plain, h => Assert.Equal(("alias/aws/ssm", ParameterType.SecureString, "v1"), (h.KeyId, h.Type, h.Description)));
    }

    [Fact]
    public async Task History_pages_through_its_versions_and_refuses_a_garbage_token()
    {
        var name = SsmTestKit.UniquePath() + "/paged";
        for (var i = 1; i <= 7; i++)
        {
            await _ssm.PutAsync(name, "v" + i, ParameterType.String, overwrite: true);
        }

        var first = await _ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = name, MaxResults = 3 });
        var second = await _ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = name, MaxResults = 3, NextToken = first.NextToken });
        var third = await _ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = name, MaxResults = 3, NextToken = second.NextToken });

        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], first.Parameters.Concat(second.Parameters).Concat(third.Parameters).Select(p => p.Version!.Value));
        Assert.Null(third.NextToken);
        await Assert.ThrowsAsync<InvalidNextTokenException>(() => _ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = name, NextToken = "garbage" }));
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = name + "-none" }));
    }

    [Fact]
    public async Task A_label_sits_on_one_version_and_moves_and_invalid_labels_come_back_unapplied()
    {
        var name = SsmTestKit.UniquePath() + "/labelled";
        await _ssm.PutAsync(name, "a");
        await _ssm.PutAsync(name, "b", overwrite: true);

        var onOne = await _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, ParameterVersion = 1, Labels = ["live"] });
        var moved = await _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, Labels = ["live", "1starts-with-digit", "awsReserved", "SSMx", "has space", "ok.label-1_x"] });

        Assert.Equal(1, onOne.ParameterVersion);
        Assert.Equal(2, moved.ParameterVersion);
        Assert.Equal(["1starts-with-digit", "awsReserved", "SSMx", "has space"], moved.InvalidLabels);
        Assert.Equal("b", (await _ssm.GetAsync(name + ":live")).Value);
        var history = await _ssm.HistoryAsync(name);
        Assert.Empty(history[0].Labels ?? []);
        Assert.Equal(["live", "ok.label-1_x"], history[1].Labels);
    }

    [Fact]
    public async Task A_version_holds_at_most_10_labels_and_a_missing_version_or_parameter_is_an_error()
    {
        var name = SsmTestKit.UniquePath() + "/many";
        await _ssm.PutAsync(name, "a");
        await _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, Labels = [.. Enumerable.Range(0, 10).Select(i => "l" + i)] });

        await Assert.ThrowsAsync<ParameterVersionLabelLimitExceededException>(() => _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, Labels = ["eleventh"] }));
        await Assert.ThrowsAsync<ParameterVersionNotFoundException>(() => _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, ParameterVersion = 5, Labels = ["x"] }));
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name + "-none", Labels = ["x"] }));
        Assert.Equal(10, (await _ssm.HistoryAsync(name))[0].Labels.Count);
    }

    [Fact]
    public async Task Unlabel_removes_labels_on_that_version_and_reports_the_others_as_invalid()
    {
        var name = SsmTestKit.UniquePath() + "/unlabel";
        await _ssm.PutAsync(name, "a");
        await _ssm.PutAsync(name, "b", overwrite: true);
        await _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, ParameterVersion = 1, Labels = ["x", "y"] });
        await _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, ParameterVersion = 2, Labels = ["z"] });

        var result = await _ssm.UnlabelParameterVersionAsync(new UnlabelParameterVersionRequest { Name = name, ParameterVersion = 1, Labels = ["x", "z", "nope"] });

        Assert.Equal(["x"], result.RemovedLabels);
        Assert.Equal(["z", "nope"], result.InvalidLabels);
        await Assert.ThrowsAsync<ParameterVersionNotFoundException>(() => _ssm.GetAsync(name + ":x"));
        Assert.Equal("b", (await _ssm.GetAsync(name + ":z")).Value);
        await Assert.ThrowsAsync<ParameterVersionNotFoundException>(() => _ssm.UnlabelParameterVersionAsync(new UnlabelParameterVersionRequest { Name = name, ParameterVersion = 3, Labels = ["y"] }));
    }

    [Fact]
    public async Task Only_the_newest_100_versions_are_kept_unless_a_label_holds_the_oldest()
    {
        var name = SsmTestKit.UniquePath() + "/hundred";
        for (var i = 1; i <= 100; i++)
        {
            await _ssm.PutAsync(name, "v" + i, ParameterType.String, overwrite: true);
        }

        await _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, ParameterVersion = 1, Labels = ["pinned"] });
        await Assert.ThrowsAsync<ParameterMaxVersionLimitExceededException>(() => _ssm.PutAsync(name, "v101", overwrite: true));
        Assert.Equal(100, (await _ssm.GetAsync(name)).Version);

        await _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, ParameterVersion = 50, Labels = ["pinned"] });
        Assert.Equal(101, (await _ssm.PutAsync(name, "v101", overwrite: true)).Version);
        var history = await _ssm.HistoryAsync(name);
        Assert.Equal(100, history.Count);
        Assert.Equal(2, history[0].Version);
        await Assert.ThrowsAsync<ParameterVersionNotFoundException>(() => _ssm.GetAsync(name + ":1"));
    }

    [Fact]
    public async Task Changes_announce_Parameter_Store_Change_events_in_order()
    {
        var name = SsmTestKit.UniquePath() + "/evented";
        await _ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "a", Type = ParameterType.String, Description = "d" });
        await _ssm.PutAsync(name, "b", overwrite: true);
        await _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, Labels = ["prod"] });
        await _ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = name });

        var events = (await fixture.EventsAsync()).Select(e => e.Event)
            .Where(e => e.DetailType == "Parameter Store Change" && (string?)e.Detail["name"] == name).ToList();

        Assert.Equal(["Create", "Update", "LabelParameterVersion", "Delete"], events.Select(e => (string?)e.Detail["operation"]));
        Assert.All(events, e => Assert.Equal(("aws.ssm", "String", "d"), (e.Source, (string?)e.Detail["type"], (string?)e.Detail["description"])));
        Assert.All(events, e => Assert.EndsWith(":parameter" + name, e.Resources[0], StringComparison.Ordinal));
    }
}
