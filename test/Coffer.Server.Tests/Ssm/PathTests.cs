using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Ssm;

/// <summary>Reading a stage by path, and describing parameters with filters, page by page.</summary>
public sealed class PathTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly AmazonSimpleSystemsManagementClient _ssm = fixture.Ssm();

    [Fact]
    public async Task A_stage_is_read_recursively_with_decryption_ten_at_a_time_each_parameter_once()
    {
        var root = SsmTestKit.UniquePath();
        var expected = new Dictionary<string, string>();
        for (var i = 0; i < 23; i++)
        {
            var name = $"{root}/prod/svc{i % 3}/key{i:D2}";
            expected[name] = "value" + i;
            await _ssm.PutAsync(name, "value" + i, i % 2 == 0 ? ParameterType.SecureString : ParameterType.String);
        }

        await _ssm.PutAsync(root + "/dev/svc0/key00", "dev");
        await _ssm.PutAsync(root + "/prodigal", "sibling, not child");

        var pages = await ReadAllAsync(new GetParametersByPathRequest { Path = root + "/prod", Recursive = true, WithDecryption = true });

        Assert.Equal([10, 10, 3], pages.Select(p => p.Count));
        var all = pages.SelectMany(p => p).ToList();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), all.Select(p => p.Name));
        Assert.All(all, p => Assert.Equal(expected[p.Name], p.Value));
    }

    [Fact]
    public async Task Without_recursive_only_the_level_under_the_path_is_read()
    {
        var root = SsmTestKit.UniquePath();
        await _ssm.PutAsync(root + "/app/a", "1");
        await _ssm.PutAsync(root + "/app/b", "2");
        await _ssm.PutAsync(root + "/app/deeper/c", "3");

        var oneLevel = (await ReadAllAsync(new GetParametersByPathRequest { Path = root + "/app" })).SelectMany(p => p).ToList();
        var trailingSlash = (await ReadAllAsync(new GetParametersByPathRequest { Path = root + "/app/", Recursive = true })).SelectMany(p => p).ToList();

        Assert.Equal([root + "/app/a", root + "/app/b"], oneLevel.Select(p => p.Name));
        Assert.Equal(3, trailingSlash.Count);
    }

    [Fact]
    public async Task SecureStrings_read_by_path_without_decryption_come_back_encrypted()
    {
        var root = SsmTestKit.UniquePath();
        await _ssm.PutAsync(root + "/secret", "Top Secret", ParameterType.SecureString);

        var page = await _ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = root });

        Assert.NotEqual("Top Secret", Assert.Single(page.Parameters).Value);
        Assert.NotEmpty(Convert.FromBase64String(page.Parameters[0].Value));
    }

    [Fact]
    public async Task Path_filters_select_by_type_key_and_label()
    {
        var root = SsmTestKit.UniquePath();
        await _ssm.PutAsync(root + "/plain", "p");
        await _ssm.PutAsync(root + "/list", "a,b", ParameterType.StringList);
        await _ssm.PutAsync(root + "/secret", "s1", ParameterType.SecureString);
        await _ssm.PutAsync(root + "/secret", "s2", overwrite: true);
        await _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = root + "/secret", ParameterVersion = 1, Labels = ["golden"] });

        async Task<List<Parameter>> Read(params ParameterStringFilter[] filters) =>
            [.. (await ReadAllAsync(new GetParametersByPathRequest { Path = root, WithDecryption = true, ParameterFilters = [.. filters] })).SelectMany(p => p)];

        Assert.Equal([root + "/list", root + "/plain"], (await Read(new ParameterStringFilter { Key = "Type", Values = ["String", "StringList"] })).Select(p => p.Name));
        Assert.Equal([root + "/secret"], (await Read(new ParameterStringFilter { Key = "KeyId", Option = "BeginsWith", Values = ["alias/aws/"] })).Select(p => p.Name));
        var golden = Assert.Single(await Read(new ParameterStringFilter { Key = "Label", Option = "Equals", Values = ["golden"] }));
        Assert.Equal(("s1", 1L, ":golden"), (golden.Value, golden.Version, golden.Selector));
    }

    [Fact]
    public async Task Bad_filters_tokens_and_paths_get_their_error_codes()
    {
        var root = SsmTestKit.UniquePath();
        await _ssm.PutAsync(root + "/a", "1");
        Task<GetParametersByPathResponse> Read(GetParametersByPathRequest r) => _ssm.GetParametersByPathAsync(r);

        await Assert.ThrowsAsync<InvalidFilterKeyException>(() => Read(new() { Path = root, ParameterFilters = [new() { Key = "Name", Values = ["x"] }] }));
        await Assert.ThrowsAsync<InvalidFilterOptionException>(() => Read(new() { Path = root, ParameterFilters = [new() { Key = "Label", Option = "BeginsWith", Values = ["x"] }] }));
        await Assert.ThrowsAsync<InvalidFilterValueException>(() => Read(new() { Path = root, ParameterFilters = [new() { Key = "Type", Values = ["Binary"] }] }));
        await Assert.ThrowsAsync<InvalidNextTokenException>(() => Read(new() { Path = root, NextToken = "not-a-token" }));
        await _ssm.PutAsync(root + "/b", "2");
        var token = (await Read(new() { Path = root, MaxResults = 1 })).NextToken;
        Assert.NotNull(token);

        // A token from another path's listing names a place outside this path: refused, not misread.
        await Assert.ThrowsAsync<InvalidNextTokenException>(() => Read(new() { Path = root + "/elsewhere", NextToken = token }));
        Assert.Equal(root + "/b", Assert.Single((await Read(new() { Path = root, MaxResults = 1, NextToken = token })).Parameters).Name);

        var relative = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => Read(new() { Path = "no-slash" }));
        Assert.Equal("ValidationException", relative.ErrorCode);
    }

    [Fact]
    public async Task Describe_filters_by_name_path_type_tier_and_tag_and_never_returns_values()
    {
        var root = SsmTestKit.UniquePath();
        await _ssm.PutParameterAsync(new PutParameterRequest { Name = root + "/api/key", Value = "k", Type = ParameterType.SecureString, Tags = [new Tag { Key = "team", Value = "payments" }] });
        await _ssm.PutParameterAsync(new PutParameterRequest { Name = root + "/api/url", Value = "u", Type = ParameterType.String, Tier = ParameterTier.Advanced });
        await _ssm.PutAsync(root + "/api/nested/x", "x");

        async Task<List<string>> Names(params ParameterStringFilter[] filters)
        {
            var names = new List<string>();
            string? token = null;
            do
            {
                var page = await _ssm.DescribeParametersAsync(new DescribeParametersRequest { ParameterFilters = [.. filters], MaxResults = 2, NextToken = token });
                Assert.True((page.Parameters?.Count ?? 0) <= 2);
                names.AddRange((page.Parameters ?? []).Select(p => p.Name));
                token = page.NextToken;
            }
            while (token is not null);
            return names;
        }

        var path = new ParameterStringFilter { Key = "Path", Option = "Recursive", Values = [root] };
        Assert.Equal([root + "/api/key", root + "/api/nested/x", root + "/api/url"], await Names(path));
        Assert.Equal([root + "/api/key", root + "/api/url"], await Names(new ParameterStringFilter { Key = "Path", Values = [root + "/api"] }));
        Assert.Equal([root + "/api/key"], await Names(path, new ParameterStringFilter { Key = "Type", Values = ["SecureString"] }));
        Assert.Equal([root + "/api/url"], await Names(path, new ParameterStringFilter { Key = "Tier", Values = ["Advanced"] }));
        Assert.Equal([root + "/api/key"], await Names(path, new ParameterStringFilter { Key = "tag:team", Values = ["payments"] }));
        Assert.Equal([root + "/api/nested/x"], await Names(new ParameterStringFilter { Key = "Name", Option = "Contains", Values = [root[1..] + "/api/nest"] }));
        Assert.Equal([root + "/api/key", root + "/api/nested/x", root + "/api/url"], await Names(new ParameterStringFilter { Key = "Name", Option = "BeginsWith", Values = [root + "/api/"] }));

        await Assert.ThrowsAsync<InvalidFilterKeyException>(() => Names(new ParameterStringFilter { Key = "Label", Values = ["x"] }));
        await Assert.ThrowsAsync<InvalidFilterOptionException>(() => Names(new ParameterStringFilter { Key = "Path", Option = "Equals", Values = [root] }));
        await Assert.ThrowsAsync<InvalidFilterOptionException>(() => Names(new ParameterStringFilter { Key = "Type", Option = "Contains", Values = ["String"] }));
        await Assert.ThrowsAsync<InvalidFilterValueException>(() => Names(new ParameterStringFilter { Key = "Tier", Values = ["Gold"] }));
        await Assert.ThrowsAsync<InvalidNextTokenException>(() => _ssm.DescribeParametersAsync(new DescribeParametersRequest { NextToken = "garbage" }));
    }

    private async Task<List<List<Parameter>>> ReadAllAsync(GetParametersByPathRequest request)
    {
        var pages = new List<List<Parameter>>();
        do
        {
            var page = await _ssm.GetParametersByPathAsync(request);
            pages.Add(page.Parameters ?? []);
            request.NextToken = page.NextToken;
        }
        while (request.NextToken is not null);

        return pages;
    }
}
