using System.Text.Json;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Fidelity;

/// <summary>Issue 13: multi-Region secrets through the AWS CLI v2 and boto3.</summary>
public sealed class SecretReplicationTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private const string Home = CofferFixture.Region;

    private static string Unique() => "rep" + Guid.NewGuid().ToString("N")[..12];

    private Task<string> Sm(string region, params string[] arguments) => FidelityKit.AwsAsync(fixture, region, ["secretsmanager", .. arguments]);

    [Fact]
    public async Task A_replica_reads_the_primarys_value_in_its_Region_and_stays_in_step()
    {
        var name = Unique();
        var created = JsonDocument.Parse(await Sm(Home, "create-secret", "--name", name, "--secret-string", "first", "--add-replica-regions", "Region=eu-west-1", "--output", "json")).RootElement;
        Assert.Equal("InSync", created.GetProperty("ReplicationStatus")[0].GetProperty("Status").GetString());
        var arn = created.GetProperty("ARN").GetString()!;

        var replicaArn = await Sm("eu-west-1", "get-secret-value", "--secret-id", name, "--query", "ARN", "--output", "text");
        Assert.Equal(arn.Replace(":us-east-1:", ":eu-west-1:", StringComparison.Ordinal), replicaArn);
        Assert.Equal("first", await Sm("eu-west-1", "get-secret-value", "--secret-id", replicaArn, "--query", "SecretString", "--output", "text"));

        await Sm(Home, "put-secret-value", "--secret-id", name, "--secret-string", "second");
        await Sm(Home, "tag-resource", "--secret-id", name, "--tags", "Key=team,Value=a");
        Assert.Equal("second", await Sm("eu-west-1", "get-secret-value", "--secret-id", name, "--query", "SecretString", "--output", "text"));

        var replica = JsonDocument.Parse(await Sm("eu-west-1", "describe-secret", "--secret-id", name, "--output", "json")).RootElement;
        Assert.Equal(Home, replica.GetProperty("PrimaryRegion").GetString());
        Assert.Equal("a", replica.GetProperty("Tags")[0].GetProperty("Value").GetString());
        Assert.False(replica.TryGetProperty("ReplicationStatus", out _));
        var primary = JsonDocument.Parse(await Sm(Home, "describe-secret", "--secret-id", name, "--output", "json")).RootElement;
        Assert.Equal(Home, primary.GetProperty("PrimaryRegion").GetString());
        Assert.Equal("eu-west-1", primary.GetProperty("ReplicationStatus")[0].GetProperty("Region").GetString());
        Assert.Contains(name, await Sm("eu-west-1", "list-secrets", "--query", "SecretList[].Name", "--output", "text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replica_refuses_changes_and_a_primary_with_replicas_is_not_deleted_with_AWSs_texts()
    {
        var name = Unique();
        await Sm(Home, "create-secret", "--name", name, "--secret-string", "v");
        await Sm(Home, "replicate-secret-to-regions", "--secret-id", name, "--add-replica-regions", "Region=eu-central-1");

        var write = await FidelityKit.AwsFailsAsync(fixture, "eu-central-1", "InvalidParameterException", "secretsmanager", "put-secret-value", "--secret-id", name, "--secret-string", "x");
        Assert.Contains("Operation not permitted on a replica secret. Call must be made in primary secret's region.", write, StringComparison.Ordinal);
        var delete = await FidelityKit.AwsFailsAsync(fixture, Home, "InvalidParameterException", "secretsmanager", "delete-secret", "--secret-id", name);
        Assert.Contains("that still has replica regions [eu-central-1].", delete, StringComparison.Ordinal);
        await FidelityKit.AwsFailsAsync(fixture, Home, "InvalidParameterException", "secretsmanager", "replicate-secret-to-regions", "--secret-id", name, "--add-replica-regions", "Region=eu-central-1");

        await Sm(Home, "remove-regions-from-replication", "--secret-id", name, "--remove-replica-regions", "eu-central-1");
        await FidelityKit.AwsFailsAsync(fixture, "eu-central-1", "ResourceNotFoundException", "secretsmanager", "get-secret-value", "--secret-id", name);
        await Sm(Home, "delete-secret", "--secret-id", name, "--force-delete-without-recovery");
    }

    [Fact]
    public async Task A_name_taken_in_the_replica_Region_fails_that_replica_unless_overwritten()
    {
        var name = Unique();
        await Sm("ap-south-1", "create-secret", "--name", name, "--secret-string", "local");
        await Sm(Home, "create-secret", "--name", name, "--secret-string", "primary");

        var failed = JsonDocument.Parse(await Sm(Home, "replicate-secret-to-regions", "--secret-id", name, "--add-replica-regions", "Region=ap-south-1", "--output", "json")).RootElement;
        Assert.Equal("Failed", failed.GetProperty("ReplicationStatus")[0].GetProperty("Status").GetString());
        Assert.Equal("local", await Sm("ap-south-1", "get-secret-value", "--secret-id", name, "--query", "SecretString", "--output", "text"));

        await Sm(Home, "remove-regions-from-replication", "--secret-id", name, "--remove-replica-regions", "ap-south-1");
        await Sm(Home, "replicate-secret-to-regions", "--secret-id", name, "--add-replica-regions", "Region=ap-south-1", "--force-overwrite-replica-secret");
        Assert.Equal("primary", await Sm("ap-south-1", "get-secret-value", "--secret-id", name, "--query", "SecretString", "--output", "text"));
    }

    [Fact]
    public async Task Boto3_promotes_a_replica_to_a_standalone_secret_with_the_same_versions()
    {
        var name = Unique();
        var lines = await FidelityKit.Boto3Async(fixture, $$"""
            home, away = client("secretsmanager"), client("secretsmanager", "sa-east-1")
            created = home.create_secret(Name="{{name}}", SecretString="one", AddReplicaRegions=[{"Region": "sa-east-1"}])
            print(away.get_secret_value(SecretId="{{name}}")["SecretString"])
            print(code(lambda: home.stop_replication_to_replica(SecretId="{{name}}")))
            stopped = away.stop_replication_to_replica(SecretId="{{name}}")
            print(stopped["ARN"].split(":")[3])
            print(away.get_secret_value(SecretId="{{name}}")["VersionId"] == created["VersionId"])
            away.put_secret_value(SecretId="{{name}}", SecretString="two")
            print(away.get_secret_value(SecretId="{{name}}")["SecretString"], home.get_secret_value(SecretId="{{name}}")["SecretString"])
            described = home.describe_secret(SecretId="{{name}}")
            print("ReplicationStatus" in described, "PrimaryRegion" in described, "PrimaryRegion" in away.describe_secret(SecretId="{{name}}"))
            """);

        Assert.Equal(["one", "InvalidRequestException", "sa-east-1", "True", "two one", "False False False"], lines);
    }
}
