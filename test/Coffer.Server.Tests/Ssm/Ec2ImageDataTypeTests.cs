using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Ssm;

/// <summary>Issue 13: the <c>aws:ec2:image</c> data type, its format checked as AWS checks it (without EC2).</summary>
public sealed class Ec2ImageDataTypeTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly AmazonSimpleSystemsManagementClient _ssm = fixture.Ssm();

    private Task<PutParameterResponse> PutImageAsync(string name, string value, ParameterType? type = null) =>
        _ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = value, Type = type ?? ParameterType.String, DataType = "aws:ec2:image" });

    [Fact]
    public async Task An_AMI_id_is_kept_with_its_data_type()
    {
        var name = SsmTestKit.UniquePath() + "/ami";
        await PutImageAsync(name, "ami-0123456789abcdef0");
        await _ssm.PutAsync(name, "ami-1234abcd", overwrite: true);

        var parameter = await _ssm.GetAsync(name);
        var described = await _ssm.DescribeParametersAsync(new DescribeParametersRequest
        {
            ParameterFilters = [new ParameterStringFilter { Key = "Name", Values = [name] }, new ParameterStringFilter { Key = "DataType", Values = ["aws:ec2:image"] }],
        });

        Assert.Equal("ami-1234abcd", parameter.Value);
        Assert.Equal("aws:ec2:image", parameter.DataType);
        Assert.Equal(name, Assert.Single(described.Parameters).Name);
    }

    [Theory]
    [InlineData("ami-xyz12345")]
    [InlineData("ami-12345")]
    [InlineData("AMI-1234abcd")]
    [InlineData("ami-1234ABCD")]
    [InlineData("image-1234abcd")]
    public async Task A_value_that_is_not_an_AMI_id_is_refused(string value)
    {
        var name = SsmTestKit.UniquePath() + "/ami";

        var e = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => PutImageAsync(name, value));

        Assert.Equal("ValidationException", e.ErrorCode);
        Assert.DoesNotContain(value, e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.GetAsync(name));
    }

    [Fact]
    public async Task The_data_type_takes_String_parameters_only_and_does_not_change()
    {
        var name = SsmTestKit.UniquePath() + "/ami";
        var text = SsmTestKit.UniquePath() + "/text";
        await _ssm.PutAsync(text, "ami-1234abcd");

        var secure = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => PutImageAsync(name, "ami-1234abcd", ParameterType.SecureString));
        var changed = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() =>
            _ssm.PutParameterAsync(new PutParameterRequest { Name = text, Value = "ami-1234abcd", Overwrite = true, DataType = "aws:ec2:image" }));

        Assert.Equal("ValidationException", secure.ErrorCode);
        Assert.Equal("ValidationException", changed.ErrorCode);
        Assert.Equal("text", (await _ssm.GetAsync(text)).DataType);
    }
}
