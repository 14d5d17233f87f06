using Coffer.Core.Secrets;
using Coffer.Server.Tests.Infrastructure;
using Coffer.Server.Tests.Secrets;

namespace Coffer.Server.Tests.Identity;

/// <summary>The coffer CLI's access commands, run as a process against a server, as an operator runs them.</summary>
public sealed class AccessCommandTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly IamClient _iam = new(fixture);

    [Fact]
    public async Task Access_explain_names_the_statement_that_allowed_and_the_reason_for_a_denial()
    {
        var role = "explained-" + Guid.NewGuid().ToString("N")[..8];
        var roleArn = await _iam.CreateRoleAsync(role, IamClient.Trust("{\"Service\":\"lambda.amazonaws.com\"}"), IamClient.Allow("\"ssm:GetParameter\"", "arn:aws:ssm:*:*:parameter/app/prod/*"));

        var (code, output) = await CofferAsync("access", "explain", "--principal", roleArn, "--action", "ssm:GetParameter",
            "--resource", $"arn:aws:ssm:us-east-1:{CofferFixture.AccountId}:parameter/app/prod/db", "--resource", $"arn:aws:ssm:us-east-1:{CofferFixture.AccountId}:parameter/app/dev/db");

        Assert.Equal(2, code);
        Assert.Contains("parameter/app/prod/db by " + roleArn + ": allowed", output, StringComparison.Ordinal);
        Assert.Contains("role policy inline, statement at line 1", output, StringComparison.Ordinal);
        Assert.Contains("parameter/app/dev/db by " + roleArn + ": implicitDeny", output, StringComparison.Ordinal);
        Assert.Contains("denied because no identity-based policy allows the ssm:GetParameter action", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_explain_finds_a_secrets_resource_policy_by_partial_arn_and_names_its_deciding_statements()
    {
        var role = "secret-reader-" + Guid.NewGuid().ToString("N")[..8];
        var roleArn = await _iam.CreateRoleAsync(role, IamClient.Trust("{\"Service\":\"lambda.amazonaws.com\"}"));
        var name = "app/prod/" + role;
        var secrets = fixture.Server.Services.Secrets;
        var secret = await secrets.CreateSecretAsync(SecretsKit.RootCall(fixture), new CreateSecretInput { Name = name, Value = SecretValue.FromString("unused") }, CancellationToken.None);
        var policy = $$"""
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "ProdReads", "Effect": "Allow", "Principal": {"AWS": "{{roleArn}}"}, "Action": "secretsmanager:GetSecretValue", "Resource": "*"},
              {"Sid": "NobodyDeletes", "Effect": "Deny", "Principal": "*", "Action": "secretsmanager:DeleteSecret", "Resource": "*"}
            ]}
            """;
        await secrets.PutResourcePolicyAsync(SecretsKit.RootCall(fixture), name, policy, blockPublicPolicy: false, CancellationToken.None);
        var partialArn = $"arn:aws:secretsmanager:us-east-1:{CofferFixture.AccountId}:secret:{name}";

        var (code, output) = await CofferAsync("access", "explain", "--principal", roleArn,
            "--action", "secretsmanager:GetSecretValue", "--action", "secretsmanager:DeleteSecret", "--resource", partialArn);

        // The role has no identity policy: only the secret's policy can have decided, by the statements on lines 2 and 3.
        Assert.Equal(2, code);
        Assert.Contains($"secretsmanager:GetSecretValue on {partialArn} by {roleArn}: allowed", output, StringComparison.Ordinal);
        Assert.Contains($"resource policy {secret.Arn}, statement at line 2", output, StringComparison.Ordinal);
        Assert.Contains($"secretsmanager:DeleteSecret on {partialArn} by {roleArn}: explicitDeny", output, StringComparison.Ordinal);
        Assert.Contains($"resource policy {secret.Arn}, statement at line 3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_role_credentials_prints_a_functions_credentials_that_act_as_its_role()
    {
        var role = "function-" + Guid.NewGuid().ToString("N")[..8];
        var roleArn = await _iam.CreateRoleAsync(role, IamClient.Trust("{\"Service\":\"lambda.amazonaws.com\"}"));
        var untrusted = await _iam.CreateRoleAsync(role + "-x", IamClient.Trust($"{{\"AWS\":\"arn:aws:iam::{CofferFixture.AccountId}:root\"}}"));

        var (code, output) = await CofferAsync("access", "role-credentials", "--role-arn", roleArn, "--function", "billing");

        Assert.Equal(0, code);
        var exports = output.Split('\n').Where(l => l.StartsWith("export ", StringComparison.Ordinal))
            .Select(l => l["export ".Length..].Split('=', 2)).ToDictionary(p => p[0], p => p[1].Trim());
        Assert.StartsWith("ASIA", exports["AWS_ACCESS_KEY_ID"], StringComparison.Ordinal);
        var session = new IamClient(fixture.Endpoint, () => DateTimeOffset.UtcNow, exports["AWS_ACCESS_KEY_ID"], exports["AWS_SECRET_ACCESS_KEY"], exports["AWS_SESSION_TOKEN"]);
        Assert.Equal($"arn:aws:sts::{CofferFixture.AccountId}:assumed-role/{role}/billing", IamClient.Value(await session.CallAsync("sts", "GetCallerIdentity"), "Arn"));

        var (refused, message) = await CofferAsync("access", "role-credentials", "--role-arn", untrusted);
        Assert.Equal(1, refused);
        Assert.Contains("cannot be assumed by Lambda", message, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output)> CofferAsync(params string[] arguments)
    {
        var env = ExternalClient.AwsEnvironment(fixture);
        env["COFFER_URL"] = fixture.Endpoint;
        return ExternalClient.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "coffer.dll"), .. arguments], env);
    }
}
