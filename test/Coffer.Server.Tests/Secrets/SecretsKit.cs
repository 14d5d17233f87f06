using System.Text.Json;
using Coffer.Core;
using Coffer.Core.Events;
using Coffer.Core.Identity;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Secrets;

/// <summary>What the Secrets Manager tests share: the AWS CLI v2 and the coffer CLI as real client
/// processes against the fixture's server, and read access to its audit log and events.</summary>
internal static class SecretsKit
{
    public const string SingleUser = "arn:aws:lambda:us-east-1:111122223333:function:coffer-postgres-single-user";
    public const string AlternatingUsers = "arn:aws:lambda:us-east-1:111122223333:function:coffer-postgres-alternating-users";

    /// <summary>Runs <c>aws secretsmanager ...</c> (CLI v2); returns its output, trimmed; fails the test if it fails.</summary>
    public static async Task<string> AwsAsync(CofferFixture fixture, params string[] arguments)
    {
        var (code, output) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, "secretsmanager", .. arguments], ExternalClient.AwsEnvironment(fixture));
        Assert.True(code == 0, $"aws secretsmanager {string.Join(' ', arguments)} failed:\n{output}");
        return output.Trim();
    }

    /// <summary>Runs <c>aws secretsmanager ...</c> expecting it to fail with an AWS error code; returns the error text.</summary>
    public static async Task<string> AwsFailsAsync(CofferFixture fixture, string errorCode, params string[] arguments)
    {
        var (code, output) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, "secretsmanager", .. arguments], ExternalClient.AwsEnvironment(fixture));
        Assert.True(code != 0, $"aws secretsmanager {string.Join(' ', arguments)} succeeded; expected {errorCode}:\n{output}");
        Assert.Contains($"({errorCode})", output, StringComparison.Ordinal);
        return output;
    }

    public static async Task<string> SecretStringAsync(CofferFixture fixture, string secretId, string stage = "AWSCURRENT") =>
        await AwsAsync(fixture, "get-secret-value", "--secret-id", secretId, "--version-stage", stage, "--query", "SecretString", "--output", "text");

    /// <summary>Runs the coffer CLI (built with the tests) against the fixture's server.</summary>
    public static async Task<string> CofferAsync(CofferFixture fixture, params string[] arguments)
    {
        var env = ExternalClient.AwsEnvironment(fixture);
        env["COFFER_URL"] = fixture.Endpoint;
        var (code, output) = await ExternalClient.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "coffer.dll"), .. arguments], env);
        Assert.True(code == 0, $"coffer {string.Join(' ', arguments)} failed:\n{output}");
        return output;
    }

    public static async Task<IReadOnlyList<JsonElement>> AuditRecordsAsync(CofferFixture fixture) =>
        (await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, int.MaxValue, ct))).Select(r => JsonDocument.Parse(r.Json).RootElement).ToList();

    public static async Task<IReadOnlyList<string>> EventTextsAsync(CofferFixture fixture) =>
        (await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Events.ReadAfterAsync(0, int.MaxValue, ct))).Select(e => JsonSerializer.Serialize(e.Event, EventJson.Default.CofferEvent)).ToList();

    /// <summary>The service's audit records of one secret's rotations (RotationStarted, RotationStep, RotationFailed, ...).</summary>
    public static async Task<IReadOnlyList<JsonElement>> RotationRecordsAsync(CofferFixture fixture, string secretArn) =>
        (await AuditRecordsAsync(fixture))
            .Where(r => r.GetProperty("eventName").GetString()!.StartsWith("Rotation", StringComparison.Ordinal)
                && r.GetProperty("requestParameters").GetProperty("secretId").GetString() == secretArn)
            .ToList();

    /// <summary>A call as the account's root, for tests that drive the domain service in process.</summary>
    public static Call RootCall(CofferFixture fixture) =>
        new(new Principal(PrincipalType.Root, CofferFixture.AccountId, $"arn:aws:iam::{CofferFixture.AccountId}:root", CofferFixture.AccountId, CofferFixture.AccessKeyId),
            CofferFixture.Region, "secretsmanager.amazonaws.com", "GetSecretValue", RequestOrigin.Internal(Guid.NewGuid().ToString(), fixture.Server.Services.Time.GetUtcNow()));
}
