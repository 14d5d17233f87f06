using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Fidelity;

/// <summary>The AWS CLI v2 and boto3 as real client processes against the fixture's server, in any Region.</summary>
internal static class FidelityKit
{
    /// <summary>Runs <c>aws [--region R] SERVICE ...</c> (CLI v2); returns its output, trimmed; fails the test if it fails.</summary>
    public static async Task<string> AwsAsync(CofferFixture fixture, string region, params string[] arguments)
    {
        var (code, output) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, "--region", region, .. arguments], ExternalClient.AwsEnvironment(fixture));
        Assert.True(code == 0, $"aws {string.Join(' ', arguments)} failed:\n{output}");
        return output.Trim();
    }

    /// <summary>Runs the CLI expecting it to fail with an AWS error code; returns the error text.</summary>
    public static async Task<string> AwsFailsAsync(CofferFixture fixture, string region, string errorCode, params string[] arguments)
    {
        var (code, output) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, "--region", region, .. arguments], ExternalClient.AwsEnvironment(fixture));
        Assert.True(code != 0, $"aws {string.Join(' ', arguments)} succeeded; expected {errorCode}:\n{output}");
        Assert.Contains($"({errorCode})", output, StringComparison.Ordinal);
        return output;
    }

    /// <summary>Runs a boto3 script (Debian's python3) whose clients are made by <c>client(service, region)</c>;
    /// returns its printed lines; fails the test if it fails.</summary>
    public static async Task<string[]> Boto3Async(CofferFixture fixture, string body)
    {
        var script = """
            import boto3, botocore.config, botocore.exceptions, os, json, base64
            def client(service, region="us-east-1"):
                return boto3.client(service, region_name=region, endpoint_url=os.environ["COFFER_ENDPOINT"],
                                    config=botocore.config.Config(retries={"total_max_attempts": 1}))
            def code(f):
                try:
                    f()
                    return "ok"
                except botocore.exceptions.ClientError as e:
                    return e.response["Error"]["Code"]

            """ + body;
        var (exit, output) = await ExternalClient.RunAsync("/usr/bin/python3", ["-c", script], ExternalClient.AwsEnvironment(fixture));
        Assert.True(exit == 0, output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
