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

    [Fact]
    public async Task DescribeParameters_filter_errors_read_as_AWSs()
    {
        var lines = await FidelityKit.Boto3Async(fixture, """
            ssm = boto3.client("ssm", region_name="us-east-1", endpoint_url=os.environ["COFFER_ENDPOINT"],
                               config=botocore.config.Config(parameter_validation=False, retries={"total_max_attempts": 1}))
            for filters in ([{"Key": "Label", "Values": ["x"]}], [{"Key": "Name"}], [{"Key": "Tier", "Values": ["test"]}],
                            [{"Key": "Path", "Option": "Equals", "Values": ["/a"]}], [{"Key": "Path", "Values": ["/aws"]}],
                            [{"Key": "Name", "Values": ["a"]}, {"Key": "Name", "Values": ["b"]}]):
                try:
                    ssm.describe_parameters(ParameterFilters=filters)
                    print("accepted")
                except botocore.exceptions.ClientError as e:
                    print(e.response["Error"]["Code"] + ": " + e.response["Error"]["Message"])
            """);

        Assert.Equal(
        [
            "InvalidFilterKey: The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier].",
            "InvalidFilterValue: The following filter values are missing : null for filter key Name.",
            "InvalidFilterValue: The following filter value is not valid: test. Valid values include: [Standard, Advanced, Intelligent-Tiering]",
            "InvalidFilterOption: The following filter option is not valid: Equals. Valid options include: [Recursive, OneLevel].",
            "ValidationException: Filters for common parameters can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). When using global parameters, please specify within a global namespace.",
            "ValidationException: The following filter is duplicated in the request: Name. A request can contain only one occurrence of a specific filter.",
        ], lines);
    }

    [Fact]
    public async Task An_unsupported_data_type_is_refused_with_AWSs_text()
    {
        var output = await FidelityKit.AwsFailsAsync(fixture, Region, "ValidationException", "ssm", "put-parameter", "--name", "/fid/dt" + Guid.NewGuid().ToString("N")[..8], "--value", "v", "--type", "String", "--data-type", "Text");

        Assert.Contains("The following data type is not supported: Text (Data type names are all lowercase.)", output, StringComparison.Ordinal);
    }
}
