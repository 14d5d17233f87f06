using System.Text.Json.Nodes;

namespace Coffer.Server.Tests.Storage;

/// <summary>A rotation RotateSecret started runs on the node that took the request; when that node dies
/// mid-rotation, the node that runs scheduled work adopts it once its heartbeat stops (issue 10).</summary>
public sealed partial class ThreeNodeTests
{
    [StoreFact]
    public async Task A_rotation_started_through_a_node_that_is_killed_mid_rotation_is_finished_by_the_lease_holder_with_its_token()
    {
        var block = Path.Combine(_dir.FullName, "block");
        var service = Path.Combine(_dir.FullName, "svc.service");
        var events = Path.Combine(_dir.FullName, "svc.events");
        var functionArn = await StartRotationFunctionAsync(service, events, block);
        await File.WriteAllTextAsync(service, "initial");
        var arn = (await SecretsAsync(2, "CreateSecret", new JsonObject { ["Name"] = "svc", ["SecretString"] = "initial" }))["ARN"]!.GetValue<string>();
        var initial = CurrentVersion(await SecretsAsync(2, "DescribeSecret", new JsonObject { ["SecretId"] = arn }));

        // Through node 2, which does not hold the schedule lease; the next window is 30 days away, so
        // only an adoption can finish this rotation before then.
        await File.WriteAllTextAsync(block, "");
        var token = Guid.NewGuid().ToString();
        await SecretsAsync(1, "RotateSecret", new JsonObject
        {
            ["SecretId"] = arn,
            ["ClientRequestToken"] = token,
            ["RotationLambdaARN"] = functionArn,
            ["RotationRules"] = new JsonObject { ["AutomaticallyAfterDays"] = 30 },
        });
        Assert.Equal(token, await WaitForStepAsync(events, "testSecret", []));
        _nodes[1].KillHard();
        File.Delete(block);

        await AssertFinishedOnceBySurvivorsAsync(arn, token, initial, service, events, survivors: [0, 2]);

        // Nothing is left in progress: a new rotation is accepted at once.
        await SecretsAsync(0, "RotateSecret", new JsonObject { ["SecretId"] = arn, ["ClientRequestToken"] = Guid.NewGuid().ToString() });
    }
}
