using System.Text.Json;
using Coffer.Server.Tests.Identity;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Fidelity;

/// <summary>Issue 13: Parameter Store's resource policies (parameter sharing) and service settings,
/// through the AWS CLI v2 and boto3.</summary>
public sealed class SsmSharingAndSettingsTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private const string Region = CofferFixture.Region;

    private static string Unique() => "/fid/" + Guid.NewGuid().ToString("N")[..12];

    private static string ArnOf(string name) => $"arn:aws:ssm:{Region}:{CofferFixture.AccountId}:parameter{name}";

    private Task<string> Ssm(params string[] arguments) => FidelityKit.AwsAsync(fixture, Region, ["ssm", .. arguments]);

    private static string AllowRead(string principal, string name) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{principal}}"},"Action":["ssm:GetParameter","ssm:GetParameters"],"Resource":"{{ArnOf(name)}}"}]}""";

    [Fact]
    public async Task A_resource_policy_is_kept_listed_changed_by_its_hash_and_deleted()
    {
        var name = Unique();
        await Ssm("put-parameter", "--name", name, "--value", "v", "--type", "String", "--tier", "Advanced");
        var policy = AllowRead($"arn:aws:iam::{CofferFixture.AccountId}:root", name);

        var put = JsonDocument.Parse(await Ssm("put-resource-policy", "--resource-arn", ArnOf(name), "--policy", policy, "--output", "json")).RootElement;
        var id = put.GetProperty("PolicyId").GetString()!;
        var hash = put.GetProperty("PolicyHash").GetString()!;
        Assert.Equal(policy, await Ssm("get-resource-policies", "--resource-arn", ArnOf(name), "--query", "Policies[0].Policy", "--output", "text"));

        await FidelityKit.AwsFailsAsync(fixture, Region, "ResourcePolicyConflictException", "ssm", "put-resource-policy", "--resource-arn", ArnOf(name), "--policy", policy, "--policy-id", id, "--policy-hash", "stale");
        await FidelityKit.AwsFailsAsync(fixture, Region, "ResourcePolicyNotFoundException", "ssm", "delete-resource-policy", "--resource-arn", ArnOf(name), "--policy-id", "nope", "--policy-hash", hash);
        await Ssm("delete-resource-policy", "--resource-arn", ArnOf(name), "--policy-id", id, "--policy-hash", hash);
        Assert.Equal("0", await Ssm("get-resource-policies", "--resource-arn", ArnOf(name), "--query", "length(Policies)", "--output", "text"));

        var standard = Unique();
        await Ssm("put-parameter", "--name", standard, "--value", "v", "--type", "String");
        await FidelityKit.AwsFailsAsync(fixture, Region, "ResourcePolicyInvalidParameterException", "ssm", "put-resource-policy", "--resource-arn", ArnOf(standard), "--policy", policy);
        await FidelityKit.AwsFailsAsync(fixture, Region, "ResourceNotFoundException", "ssm", "put-resource-policy", "--resource-arn", ArnOf(Unique()), "--policy", policy);
        await FidelityKit.AwsFailsAsync(fixture, Region, "MalformedResourcePolicyDocumentException", "ssm", "put-resource-policy", "--resource-arn", ArnOf(name), "--policy", "{not json");
    }

    [Fact]
    public async Task A_principal_the_parameters_policy_allows_reads_it_without_an_identity_policy()
    {
        var name = Unique();
        var other = Unique();
        foreach (var n in (string[])[name, other])
        {
            await Ssm("put-parameter", "--name", n, "--value", "shared-value", "--type", "String", "--tier", "Advanced");
        }

        var user = "reader" + Guid.NewGuid().ToString("N")[..8];
        var (keyId, secret) = await new IamClient(fixture).CreateUserAsync(user);
        var env = ExternalClient.AwsEnvironment(fixture, keyId, secret);
        async Task<(int Code, string Output)> ReadAsUser(string n) =>
            await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, "ssm", "get-parameter", "--name", n, "--query", "Parameter.Value", "--output", "text"], env);

        Assert.Contains("AccessDenied", (await ReadAsUser(name)).Output, StringComparison.Ordinal);
        await Ssm("put-resource-policy", "--resource-arn", ArnOf(name), "--policy", AllowRead($"arn:aws:iam::{CofferFixture.AccountId}:user/{user}", name));

        var (code, output) = await ReadAsUser(name);
        Assert.True(code == 0, output);
        Assert.Equal("shared-value", output.Trim());
        Assert.Contains("AccessDenied", (await ReadAsUser(other)).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_parameter_tier_setting_applies_to_new_parameters_until_reset()
    {
        const string Setting = "/ssm/parameter-store/default-parameter-tier";
        Assert.Equal("Standard", await Ssm("get-service-setting", "--setting-id", Setting, "--query", "ServiceSetting.SettingValue", "--output", "text"));
        await Ssm("update-service-setting", "--setting-id", Setting, "--setting-value", "Advanced");
        try
        {
            var shown = JsonDocument.Parse(await Ssm("get-service-setting", "--setting-id", $"arn:aws:ssm:{Region}:{CofferFixture.AccountId}:servicesetting{Setting}", "--query", "ServiceSetting", "--output", "json")).RootElement;
            Assert.Equal("Customized", shown.GetProperty("Status").GetString());
            Assert.Equal("Advanced", shown.GetProperty("SettingValue").GetString());
            Assert.Equal("Advanced", await Ssm("put-parameter", "--name", Unique(), "--value", "v", "--type", "String", "--query", "Tier", "--output", "text"));
        }
        finally
        {
            Assert.Equal("Standard", await Ssm("reset-service-setting", "--setting-id", Setting, "--query", "ServiceSetting.SettingValue", "--output", "text"));
        }

        Assert.Equal("Standard", await Ssm("put-parameter", "--name", Unique(), "--value", "v", "--type", "String", "--query", "Tier", "--output", "text"));
        await FidelityKit.AwsFailsAsync(fixture, Region, "ServiceSettingNotFound", "ssm", "get-service-setting", "--setting-id", "/ssm/managed-instance/activation-tier");
        await FidelityKit.AwsFailsAsync(fixture, Region, "ValidationException", "ssm", "update-service-setting", "--setting-id", Setting, "--setting-value", "Premium");
    }

    [Fact]
    public async Task Boto3_shares_a_parameter_and_reads_the_high_throughput_setting()
    {
        var name = Unique();
        var lines = await FidelityKit.Boto3Async(fixture, $$"""
            ssm = client("ssm")
            ssm.put_parameter(Name="{{name}}", Value="v", Type="String", Tier="Advanced")
            policy = '{{AllowRead($"arn:aws:iam::{CofferFixture.AccountId}:root", name)}}'
            put = ssm.put_resource_policy(ResourceArn="{{ArnOf(name)}}", Policy=policy)
            got = ssm.get_resource_policies(ResourceArn="{{ArnOf(name)}}")["Policies"]
            print(len(got), got[0]["PolicyId"] == put["PolicyId"], got[0]["PolicyHash"] == put["PolicyHash"])
            updated = ssm.put_resource_policy(ResourceArn="{{ArnOf(name)}}", Policy=policy.replace("GetParameters", "GetParameterHistory"), PolicyId=put["PolicyId"], PolicyHash=put["PolicyHash"])
            print(updated["PolicyId"] == put["PolicyId"], updated["PolicyHash"] != put["PolicyHash"])
            setting = ssm.get_service_setting(SettingId="/ssm/parameter-store/high-throughput-enabled")["ServiceSetting"]
            print(setting["SettingValue"], setting["Status"])
            print(code(lambda: ssm.delete_resource_policy(ResourceArn="{{ArnOf(name)}}", PolicyId=put["PolicyId"], PolicyHash=put["PolicyHash"])))
            """);

        Assert.Equal(["1 True True", "True True", "false Default", "ResourcePolicyConflictException"], lines);
    }
}
