using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Tag = Amazon.SimpleSystemsManagement.Model.Tag;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Ssm;

/// <summary>Parameter Store through the AWS SDK for .NET: put, get, selectors, types, tiers and names.</summary>
public sealed class ParameterTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly AmazonSimpleSystemsManagementClient _ssm = fixture.Ssm();

    [Fact]
    public async Task A_string_parameter_is_put_and_read_back_with_its_metadata()
    {
        var name = SsmTestKit.UniquePath() + "/db/host";
        var put = await _ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "db.internal", Type = ParameterType.String, Description = "the host" });

        var parameter = await _ssm.GetAsync(name);

        Assert.Equal(1, put.Version);
        Assert.Equal(ParameterTier.Standard, put.Tier);
        Assert.Equal(("db.internal", ParameterType.String, 1L, "text"), (parameter.Value, parameter.Type, parameter.Version, parameter.DataType));
        Assert.Equal($"arn:aws:ssm:{CofferFixture.Region}:{CofferFixture.AccountId}:parameter{name}", parameter.ARN);
        Assert.InRange(parameter.LastModifiedDate!.Value, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
        var described = await DescribeOneAsync(name);
        Assert.Equal(("the host", $"arn:aws:iam::{CofferFixture.AccountId}:root"), (described.Description, described.LastModifiedUser));
    }

    [Fact]
    public async Task A_SecureString_decrypts_only_with_decryption_and_its_ciphertext_is_under_aws_ssm_which_only_ssm_may_use()
    {
        var name = SsmTestKit.UniquePath() + "/db/password";
        await _ssm.PutAsync(name, "Top Secret", ParameterType.SecureString);

        var plain = await _ssm.GetAsync(name, decrypt: true);
        var encrypted = await _ssm.GetAsync(name, decrypt: false);

        Assert.Equal("Top Secret", plain.Value);
        Assert.NotEqual("Top Secret", encrypted.Value);

        // As in AWS, the AWS managed key's policy allows decryption only through Parameter Store
        // (kms:ViaService), so not even the root opens the ciphertext with KMS directly (issue 5).
        using var kms = fixture.Kms();
        var direct = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => kms.DecryptAsync(new DecryptRequest
        {
            CiphertextBlob = new MemoryStream(Convert.FromBase64String(encrypted.Value)),
            EncryptionContext = new Dictionary<string, string> { ["PARAMETER_ARN"] = plain.ARN },
        }));
        Assert.Equal("AccessDeniedException", direct.ErrorCode);
        var key = await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/ssm" });
        Assert.EndsWith($"on resource: {key.KeyMetadata.Arn} because no resource-based policy allows the kms:Decrypt action", direct.Message, StringComparison.Ordinal);
        Assert.Equal("alias/aws/ssm", (await DescribeOneAsync(name)).KeyId);
    }

    [Fact]
    public async Task A_SecureString_uses_the_customer_key_it_names_and_an_unknown_key_is_InvalidKeyId()
    {
        using var kms = fixture.Kms();
        var key = (await kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;
        var name = SsmTestKit.UniquePath() + "/token";
        await _ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "t0ken", Type = ParameterType.SecureString, KeyId = key.KeyId });

        var blob = Convert.FromBase64String((await _ssm.GetAsync(name, decrypt: false)).Value);
        var opened = await kms.DecryptAsync(new DecryptRequest
        {
            CiphertextBlob = new MemoryStream(blob),
            EncryptionContext = new Dictionary<string, string> { ["PARAMETER_ARN"] = $"arn:aws:ssm:{CofferFixture.Region}:{CofferFixture.AccountId}:parameter{name}" },
        });
        Assert.Equal(key.Arn, opened.KeyId);

        await Assert.ThrowsAsync<InvalidKeyIdException>(() => _ssm.PutParameterAsync(new PutParameterRequest { Name = name + "2", Value = "x", Type = ParameterType.SecureString, KeyId = "alias/nope" }));
        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => _ssm.GetAsync(name));
        Assert.Equal(blob, Convert.FromBase64String((await _ssm.GetAsync(name, decrypt: false)).Value));
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.GetAsync(name + "2"));
    }

    [Fact]
    public async Task Versions_and_labels_select_with_a_colon_and_echo_the_selector()
    {
        var name = SsmTestKit.UniquePath() + "/feature";
        await _ssm.PutAsync(name, "one");
        await _ssm.PutAsync(name, "two", overwrite: true);
        await _ssm.PutAsync(name, "three", overwrite: true);
        await _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, ParameterVersion = 2, Labels = ["prod"] });

        var byVersion = await _ssm.GetAsync(name + ":1");
        var byLabel = await _ssm.GetAsync(name + ":prod");
        var latest = await _ssm.GetAsync(name);

        Assert.Equal(("one", 1L, ":1", name), (byVersion.Value, byVersion.Version, byVersion.Selector, byVersion.Name));
        Assert.Equal(("two", 2L, ":prod"), (byLabel.Value, byLabel.Version, byLabel.Selector));
        Assert.Equal(("three", 3L), (latest.Value, latest.Version));
        Assert.Null(latest.Selector);
        await Assert.ThrowsAsync<ParameterVersionNotFoundException>(() => _ssm.GetAsync(name + ":9"));
        await Assert.ThrowsAsync<ParameterVersionNotFoundException>(() => _ssm.GetAsync(name + ":staging"));
        var bad = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => _ssm.GetAsync(name + ":"));
        Assert.Equal("ValidationException", bad.ErrorCode);
    }

    [Fact]
    public async Task A_parameter_arn_names_the_parameter_with_or_without_a_selector()
    {
        var name = SsmTestKit.UniquePath() + "/url";
        await _ssm.PutAsync(name, "https://example.test");
        var arn = (await _ssm.GetAsync(name)).ARN;

        Assert.Equal("https://example.test", (await _ssm.GetAsync(arn)).Value);
        Assert.Equal(1, (await _ssm.GetAsync(arn + ":1")).Version);
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.GetAsync(arn.Replace(CofferFixture.AccountId, "999999999999", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Get_parameters_returns_what_exists_and_lists_the_rest_as_invalid()
    {
        var root = SsmTestKit.UniquePath();
        await _ssm.PutAsync(root + "/a", "A");
        await _ssm.PutAsync(root + "/b", "B", ParameterType.SecureString);

        var result = await _ssm.GetParametersAsync(new GetParametersRequest { Names = [root + "/a", root + "/b", root + "/missing", root + "/a:7", "bad name"], WithDecryption = true });

        Assert.Equal(["A", "B"], result.Parameters.OrderBy(p => p.Name).Select(p => p.Value));
        Assert.Equal([root + "/missing", root + "/a:7", "bad name"], result.InvalidParameters);
    }

    [Fact]
    public async Task Put_without_overwrite_on_an_existing_name_is_ParameterAlreadyExists_and_changes_nothing()
    {
        var name = SsmTestKit.UniquePath() + "/x";
        await _ssm.PutAsync(name, "first");

        await Assert.ThrowsAsync<ParameterAlreadyExistsException>(() => _ssm.PutAsync(name, "second"));

        var parameter = await _ssm.GetAsync(name);
        Assert.Equal(("first", 1L), (parameter.Value, parameter.Version));
    }

    [Fact]
    public async Task Changing_between_String_and_SecureString_is_HierarchyTypeMismatch_but_String_to_StringList_is_allowed()
    {
        var name = SsmTestKit.UniquePath() + "/x";
        await _ssm.PutAsync(name, "a,b");

        await Assert.ThrowsAsync<HierarchyTypeMismatchException>(() => _ssm.PutAsync(name, "secret", ParameterType.SecureString, overwrite: true));
        var list = await _ssm.PutAsync(name, "a,b,c", ParameterType.StringList, overwrite: true);

        Assert.Equal(2, list.Version);
        Assert.Equal(ParameterType.StringList, (await _ssm.GetAsync(name)).Type);
        var secure = SsmTestKit.UniquePath() + "/s";
        await _ssm.PutAsync(secure, "s", ParameterType.SecureString);
        await Assert.ThrowsAsync<HierarchyTypeMismatchException>(() => _ssm.PutAsync(secure, "plain", ParameterType.String, overwrite: true));
    }

    [Theory]
    [InlineData("/app/has space")]
    [InlineData("/app/bad*char")]
    [InlineData("app/not/qualified")]
    [InlineData("/app//double")]
    [InlineData("/app/trailing/")]
    [InlineData("/aws/reserved")]
    [InlineData("ssm-reserved")]
    [InlineData("/AWS/upper")]
    public async Task Bad_names_are_ValidationException_and_create_nothing(string name)
    {
        var error = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => _ssm.PutAsync(name, "v"));
        Assert.Equal("ValidationException", error.ErrorCode);
    }

    [Fact]
    public async Task Names_deeper_than_15_levels_are_HierarchyLevelLimitExceeded_and_long_names_are_refused()
    {
        var fifteen = string.Concat(Enumerable.Range(1, 15).Select(i => "/l" + i));
        await _ssm.PutAsync(SsmTestKit.UniquePath() + fifteen[3..], "ok");

        await Assert.ThrowsAsync<HierarchyLevelLimitExceededException>(() => _ssm.PutAsync(fifteen + "/l16", "v"));
        var tooLong = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => _ssm.PutAsync("/" + new string('a', 1000), "v"));
        Assert.Equal("ValidationException", tooLong.ErrorCode);
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.GetAsync(fifteen + "/l16"));
    }

    [Fact]
    public async Task Spaces_around_a_name_are_removed_as_AWS_does()
    {
        var name = SsmTestKit.UniquePath() + "/trimmed";
        await _ssm.PutAsync("  " + name + " ", "v");
        Assert.Equal(name, (await _ssm.GetAsync(name)).Name);
    }

    [Fact]
    public async Task Tiers_have_4_KB_and_8_KB_limits_intelligent_tiering_chooses_and_advanced_never_downgrades()
    {
        var root = SsmTestKit.UniquePath();
        var big = new string('x', 5000);

        var tooBig = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => _ssm.PutAsync(root + "/big", big));
        Assert.Equal("ValidationException", tooBig.ErrorCode);
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.GetAsync(root + "/big"));
        var advanced = await _ssm.PutParameterAsync(new PutParameterRequest { Name = root + "/big", Value = big, Type = ParameterType.String, Tier = ParameterTier.Advanced });
        var smart = await _ssm.PutParameterAsync(new PutParameterRequest { Name = root + "/smart", Value = "small", Type = ParameterType.String, Tier = ParameterTier.IntelligentTiering });
        var smartBig = await _ssm.PutParameterAsync(new PutParameterRequest { Name = root + "/smartbig", Value = big, Type = ParameterType.String, Tier = ParameterTier.IntelligentTiering });
        var over = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => _ssm.PutParameterAsync(new PutParameterRequest { Name = root + "/huge", Value = new string('x', 8193), Type = ParameterType.String, Tier = ParameterTier.Advanced }));
        var downgrade = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => _ssm.PutParameterAsync(new PutParameterRequest { Name = root + "/big", Value = "small", Overwrite = true, Tier = ParameterTier.Standard }));
        var kept = await _ssm.PutParameterAsync(new PutParameterRequest { Name = root + "/big", Value = "small", Overwrite = true });

        Assert.Equal((ParameterTier.Advanced, ParameterTier.Standard, ParameterTier.Advanced), (advanced.Tier, smart.Tier, smartBig.Tier));
        Assert.Equal(("ValidationException", "ValidationException"), (over.ErrorCode, downgrade.ErrorCode));
        Assert.Equal((ParameterTier.Advanced, 2L), (kept.Tier, kept.Version));
    }

    [Fact]
    public async Task Allowed_patterns_are_checked_and_a_bad_pattern_is_InvalidAllowedPatternException()
    {
        var name = SsmTestKit.UniquePath() + "/port";
        await _ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "5432", Type = ParameterType.String, AllowedPattern = "^\\d+$" });

        await Assert.ThrowsAsync<ParameterPatternMismatchException>(() => _ssm.PutAsync(name, "not a number", overwrite: true));
        await Assert.ThrowsAsync<InvalidAllowedPatternException>(() => _ssm.PutParameterAsync(new PutParameterRequest { Name = name + "2", Value = "x", Type = ParameterType.String, AllowedPattern = "([" }));
        Assert.Equal("5432", (await _ssm.GetAsync(name)).Value);
        Assert.Equal(2, (await _ssm.PutAsync(name, "6543", overwrite: true)).Version);
    }

    [Fact]
    public async Task Other_put_rules_are_checked_before_anything_is_written()
    {
        var name = SsmTestKit.UniquePath() + "/x";
        async Task<string> CodeOf(PutParameterRequest r) => (await Assert.ThrowsAnyAsync<AmazonSimpleSystemsManagementException>(() => _ssm.PutParameterAsync(r))).ErrorCode;

        Assert.Equal("ValidationException", await CodeOf(new PutParameterRequest { Name = name, Value = "v" }));
        Assert.Equal("ValidationException", await CodeOf(new PutParameterRequest { Name = name, Value = "v", Type = ParameterType.String, Overwrite = true, Tags = [new Tag { Key = "k", Value = "v" }] }));
        Assert.Equal("ValidationException", await CodeOf(new PutParameterRequest { Name = name, Value = "{{ssm:/other}}", Type = ParameterType.String }));
        Assert.Equal("ValidationException", await CodeOf(new PutParameterRequest { Name = name, Value = "v", Type = ParameterType.String, KeyId = "alias/aws/ssm" }));
        Assert.Equal("ValidationException", await CodeOf(new PutParameterRequest { Name = name, Value = "v", Type = ParameterType.String, DataType = "aws:ec2:image" }));
        Assert.Equal("ValidationException", await CodeOf(new PutParameterRequest { Name = name, Value = "v", Type = "Binary" }));
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.GetAsync(name));
    }

    [Fact]
    public async Task Concurrent_puts_on_one_name_give_consecutive_versions_with_no_lost_update()
    {
        var name = SsmTestKit.UniquePath() + "/counter";
        const int writers = 40;

        var results = await Task.WhenAll(Enumerable.Range(1, writers).Select(i => _ssm.PutAsync(name, "v" + i, ParameterType.String, overwrite: true)));

        Assert.Equal(Enumerable.Range(1, writers).Select(i => (long)i), results.Select(r => r.Version!.Value).Order());
        var history = await _ssm.HistoryAsync(name);
        Assert.Equal(Enumerable.Range(1, writers).Select(i => (long)i), history.Select(h => h.Version!.Value));
        Assert.Equal(writers, history.Select(h => h.Value).Distinct().Count());
        Assert.Equal(writers, (await _ssm.GetAsync(name)).Version);
    }

    [Fact]
    public async Task Deleting_removes_the_parameter_and_delete_parameters_reports_what_it_could_not_find()
    {
        var root = SsmTestKit.UniquePath();
        await _ssm.PutAsync(root + "/a", "1");
        await _ssm.PutAsync(root + "/b", "2");
        await _ssm.PutAsync(root + "/c", "3");

        await _ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = root + "/a" });
        var many = await _ssm.DeleteParametersAsync(new DeleteParametersRequest { Names = [root + "/b", root + "/c", root + "/nope"] });

        Assert.Equal([root + "/b", root + "/c"], many.DeletedParameters);
        Assert.Equal([root + "/nope"], many.InvalidParameters);
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.GetAsync(root + "/a"));
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = root + "/a" }));
        await _ssm.PutAsync(root + "/a", "again");
        Assert.Equal(1, (await _ssm.GetAsync(root + "/a")).Version);
    }

    [Fact]
    public async Task Tags_are_added_listed_replaced_and_removed_for_parameters_only()
    {
        var name = SsmTestKit.UniquePath() + "/tagged";
        await _ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "v", Type = ParameterType.String, Tags = [new Tag { Key = "team", Value = "a" }] });

        await _ssm.AddTagsToResourceAsync(new AddTagsToResourceRequest { ResourceType = ResourceTypeForTagging.Parameter, ResourceId = name, Tags = [new Tag { Key = "team", Value = "b" }, new Tag { Key = "stage", Value = "dev" }] });
        await _ssm.RemoveTagsFromResourceAsync(new RemoveTagsFromResourceRequest { ResourceType = ResourceTypeForTagging.Parameter, ResourceId = name, TagKeys = ["stage"] });
        var tags = await _ssm.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceType = ResourceTypeForTagging.Parameter, ResourceId = name });

        var tag = Assert.Single(tags.TagList);
        Assert.Equal(("team", "b"), (tag.Key, tag.Value));
        await Assert.ThrowsAsync<InvalidResourceIdException>(() => _ssm.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceType = ResourceTypeForTagging.Parameter, ResourceId = name + "-missing" }));
        await Assert.ThrowsAsync<InvalidResourceTypeException>(() => _ssm.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceType = ResourceTypeForTagging.Document, ResourceId = name }));
        var tooMany = Enumerable.Range(0, 51).Select(i => new Tag { Key = "k" + i, Value = "v" }).ToList();
        await Assert.ThrowsAsync<TooManyTagsErrorException>(() => _ssm.AddTagsToResourceAsync(new AddTagsToResourceRequest { ResourceType = ResourceTypeForTagging.Parameter, ResourceId = name, Tags = tooMany }));
        Assert.Single((await _ssm.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceType = ResourceTypeForTagging.Parameter, ResourceId = name })).TagList);
    }

    [Fact]
    public async Task Parameters_live_in_the_region_they_were_put_in()
    {
        var name = SsmTestKit.UniquePath() + "/regional";
        await _ssm.PutAsync(name, "here", ParameterType.SecureString);
        using var elsewhere = fixture.Ssm("eu-west-1");

        await Assert.ThrowsAsync<ParameterNotFoundException>(() => elsewhere.GetAsync(name));
        await elsewhere.PutAsync(name, "there", ParameterType.SecureString);
        Assert.StartsWith("arn:aws:ssm:eu-west-1:", (await elsewhere.GetAsync(name)).ARN, StringComparison.Ordinal);
        Assert.Equal("here", (await _ssm.GetAsync(name)).Value);
    }

    [Fact]
    public async Task Bad_policies_get_their_error_codes_and_standard_parameters_take_none()
    {
        var name = SsmTestKit.UniquePath() + "/bad";
        var future = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        Task Put(string policies, string tier = "Advanced") =>
            _ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "v", Type = ParameterType.String, Tier = tier, Policies = policies });
        const string noChange = """{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"3","Unit":"Days"}}""";

        await Assert.ThrowsAsync<InvalidPolicyTypeException>(() => Put("""[{"Type":"Rotation","Version":"1.0","Attributes":{}}]"""));
        await Assert.ThrowsAsync<InvalidPolicyAttributeException>(() => Put("""[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2001-01-01T00:00:00Z"}}]"""));
        await Assert.ThrowsAsync<InvalidPolicyAttributeException>(() => Put("""[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"3","Unit":"Weeks"}}]"""));
        await Assert.ThrowsAsync<IncompatiblePolicyException>(() => Put($$$"""[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"{{{future}}}"}},{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"{{{future}}}"}}]"""));
        await Assert.ThrowsAsync<PoliciesLimitExceededException>(() => Put("[" + string.Join(",", Enumerable.Repeat(noChange, 11)) + "]"));
        var standard = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => Put("[" + noChange + "]", "Standard"));
        Assert.Equal("ValidationException", standard.ErrorCode);
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.GetAsync(name));
    }

    private async Task<ParameterMetadata> DescribeOneAsync(string name)
    {
        var page = await _ssm.DescribeParametersAsync(new DescribeParametersRequest
        {
            ParameterFilters = [new ParameterStringFilter { Key = "Name", Option = "Equals", Values = [name] }],
        });
        return Assert.Single(page.Parameters);
    }
}
