using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Ssm;

/// <summary>Issue 13: <c>x</c> and <c>/x</c> are one single-level parameter, with one ARN and one record.</summary>
public sealed class RootNameTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly AmazonSimpleSystemsManagementClient _ssm = fixture.Ssm();

    private static string UniqueName() => "root" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task A_name_with_and_without_its_leading_slash_is_one_parameter()
    {
        var name = UniqueName();
        await _ssm.PutAsync(name, "one");

        var bySlash = await _ssm.GetAsync("/" + name);
        var update = await _ssm.PutAsync("/" + name, "two", overwrite: true);
        var byBare = await _ssm.GetAsync(name);

        Assert.Equal(name, bySlash.Name);
        Assert.EndsWith(":parameter/" + name, bySlash.ARN, StringComparison.Ordinal);
        Assert.Equal(2, update.Version);
        Assert.Equal("two", byBare.Value);
        Assert.Equal(bySlash.ARN, byBare.ARN);
        var again = await Assert.ThrowsAsync<ParameterAlreadyExistsException>(() => _ssm.PutAsync("/" + name, "three"));
        Assert.Contains("already exists", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tags_and_delete_reach_a_parameter_under_the_other_spelling()
    {
        var name = "/" + UniqueName();
        await _ssm.PutAsync(name, "v");

        await _ssm.AddTagsToResourceAsync(new AddTagsToResourceRequest { ResourceType = ResourceTypeForTagging.Parameter, ResourceId = name[1..], Tags = [new Tag { Key = "team", Value = "a" }] });
        var tags = await _ssm.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceType = ResourceTypeForTagging.Parameter, ResourceId = name });
        await _ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = name[1..] });

        Assert.Equal("a", Assert.Single(tags.TagList).Value);
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.GetAsync(name));
    }

    [Fact]
    public async Task Reads_of_the_root_path_find_a_name_without_a_slash()
    {
        var name = UniqueName();
        await _ssm.PutAsync(name, "v");

        var oneLevel = await ReadRootAsync(recursive: false);
        var recursive = await ReadRootAsync(recursive: true);
        var described = await _ssm.DescribeParametersAsync(new DescribeParametersRequest
        {
            ParameterFilters = [new ParameterStringFilter { Key = "Path", Option = "OneLevel", Values = ["/"] }, new ParameterStringFilter { Key = "Name", Values = [name] }],
        });

        Assert.Contains(name, oneLevel);
        Assert.Contains(name, recursive);
        Assert.Equal(name, Assert.Single(described.Parameters).Name);
    }

    private async Task<List<string>> ReadRootAsync(bool recursive)
    {
        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await _ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/", Recursive = recursive, NextToken = token });
            names.AddRange((page.Parameters ?? []).Select(p => p.Name));
            token = page.NextToken;
        }
        while (token is not null);

        return names;
    }

    [Fact]
    public async Task An_empty_value_is_refused_with_AWS_text()
    {
        var name = UniqueName();

        var e = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => _ssm.PutAsync(name, ""));

        Assert.Equal("ValidationException", e.ErrorCode);
        Assert.Equal("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1", e.Message);
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.GetAsync(name));
    }

    [Fact]
    public async Task A_path_filter_may_carry_several_paths()
    {
        var root = SsmTestKit.UniquePath();
        await _ssm.PutAsync(root + "/a/one", "1");
        await _ssm.PutAsync(root + "/b/two", "2");
        await _ssm.PutAsync(root + "/c/three", "3");
        await _ssm.PutAsync(root + "/a/deep/four", "4");

        var oneLevel = await _ssm.DescribeParametersAsync(new DescribeParametersRequest
        {
            ParameterFilters = [new ParameterStringFilter { Key = "Path", Values = [root + "/a", root + "/b"] }],
            MaxResults = 50,
        });
        var recursive = await _ssm.DescribeParametersAsync(new DescribeParametersRequest
        {
            ParameterFilters = [new ParameterStringFilter { Key = "Path", Option = "Recursive", Values = [root + "/a", root + "/c"] }],
            MaxResults = 50,
        });

        Assert.Equal([root + "/a/one", root + "/b/two"], oneLevel.Parameters.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal([root + "/a/deep/four", root + "/a/one", root + "/c/three"], recursive.Parameters.Select(p => p.Name).Order(StringComparer.Ordinal));
    }
}
