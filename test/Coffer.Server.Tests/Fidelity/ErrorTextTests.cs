using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Fidelity;

/// <summary>Issue 13: validation messages word for word as AWS writes them (sources in ModelValidator's
/// summary), through the AWS CLI v2 and boto3.</summary>
public sealed class ErrorTextTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private const string Region = CofferFixture.Region;

    [Fact]
    public async Task A_sensitive_members_value_is_left_out_of_the_message()
    {
        var value = new string('s', 65537);
        var output = await FidelityKit.AwsFailsAsync(fixture, Region, "ValidationException", "secretsmanager", "create-secret", "--name", "long" + Guid.NewGuid().ToString("N")[..8], "--secret-string", value);

        Assert.Contains("1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536", output, StringComparison.Ordinal);
        Assert.DoesNotContain("sss", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_of_strings_is_one_error_naming_every_constraint_of_its_members()
    {
        var name = "/" + new string('n', 2048);
        var output = await FidelityKit.AwsFailsAsync(fixture, Region, "ValidationException", "ssm", "get-parameters", "--names", "ok", name);

        Assert.Contains($"1 validation error detected: Value '[ok, {name}]' at 'names' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 2048, Member must have length greater than or equal to 1]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boto3_sees_blobs_as_AWS_shows_them_and_every_error_of_a_request()
    {
        var lines = await FidelityKit.Boto3Async(fixture, """
            kms = boto3.client("kms", region_name="us-east-1", endpoint_url=os.environ["COFFER_ENDPOINT"],
                               config=botocore.config.Config(parameter_validation=False, retries={"total_max_attempts": 1}))
            for call in (lambda: kms.decrypt(CiphertextBlob=b""),
                         lambda: kms.generate_data_key(KeyId="", KeySpec="AES_512", NumberOfBytes=2048)):
                try:
                    call()
                except botocore.exceptions.ClientError as e:
                    print(e.response["Error"]["Message"])
            """);

        Assert.Equal(
        [
            "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=0 cap=0]' at 'ciphertextBlob' failed to satisfy constraint: Member must have length greater than or equal to 1",
            "3 validation errors detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1; "
                + "Value 'AES_512' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]; "
                + "Value '2048' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
        ], lines);
    }
}
