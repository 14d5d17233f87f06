using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Secrets;

/// <summary>Issue 13: ListSecrets filters as AWS documents them, through the AWS CLI v2 and boto3.</summary>
public sealed class SecretFilterTests(CofferFixture fixture) : IClassFixture<CofferFixture>, IAsyncLifetime
{
    private readonly string _prefix = "flt" + Guid.NewGuid().ToString("N")[..10];

    private string Database => _prefix + "/AppDatabase";

    private string Cache => _prefix + "/appcache";

    public async Task InitializeAsync()
    {
        await SecretsKit.AwsAsync(fixture, "create-secret", "--name", Database, "--description", "Primary database credentials", "--secret-string", "x");
        await SecretsKit.AwsAsync(fixture, "create-secret", "--name", Cache, "--description", "The cache", "--tags", "Key=team,Value=ops", "--secret-string", "x");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string[]> ListAsync(string filters)
    {
        var output = await SecretsKit.AwsAsync(fixture, "list-secrets", "--filters", filters, "--query", "SecretList[].Name", "--output", "text");
        return [.. output.Split((char[])['\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(n => n.StartsWith(_prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
    }

    private string Name(string value) => $$"""{"Key":"name","Values":["{{value}}"]}""";

    [Fact]
    public async Task Name_matches_the_beginning_of_the_name_case_sensitively()
    {
        Assert.Equal([Database], await ListAsync($"[{Name(_prefix + "/App")}]"));
        Assert.Equal([Cache], await ListAsync($"[{Name(_prefix + "/app")}]"));
        Assert.Empty(await ListAsync($"[{Name("Database")}]"));
    }

    [Fact]
    public async Task Values_of_one_key_are_ORed_and_keys_are_ANDed()
    {
        var either = await ListAsync($$"""[{"Key":"name","Values":["{{_prefix}}/AppD","{{_prefix}}/appc"]}]""");
        var both = await ListAsync($$"""[{{Name(_prefix)}},{"Key":"description","Values":["CACHE"]}]""");

        Assert.Equal([Database, Cache], either);
        Assert.Equal([Cache], both);
    }

    [Fact]
    public async Task Description_matches_every_word_of_the_value_as_a_word_prefix_ignoring_case()
    {
        Assert.Equal([Database], await ListAsync($$"""[{{Name(_prefix)}},{"Key":"description","Values":["database prim"]}]"""));
        Assert.Empty(await ListAsync($$"""[{{Name(_prefix)}},{"Key":"description","Values":["database cache"]}]"""));
        Assert.Empty(await ListAsync($$"""[{{Name(_prefix)}},{"Key":"description","Values":["abase"]}]"""));
    }

    [Fact]
    public async Task All_searches_words_of_every_field()
    {
        Assert.Equal([Database], await ListAsync($$"""[{{Name(_prefix)}},{"Key":"all","Values":["DATABASE"]}]"""));
        Assert.Equal([Cache], await ListAsync($$"""[{{Name(_prefix)}},{"Key":"all","Values":["Ops"]}]"""));
        Assert.Equal([Database, Cache], await ListAsync($$"""[{{Name(_prefix)}},{"Key":"all","Values":["credCache"]}]"""));
    }

    [Fact]
    public async Task A_filter_without_a_key_or_values_is_refused()
    {
        // No key: InvalidParameterException as AWS answers it. No values: the model's minimum of one
        // value, checked before the service as AWS's front end checks it (ValidationException).
        const string script = """
            import boto3, botocore.config, botocore.exceptions, os
            sm = boto3.client("secretsmanager", endpoint_url=os.environ["COFFER_ENDPOINT"],
                              config=botocore.config.Config(parameter_validation=False, retries={"total_max_attempts": 1}))
            for filters in ([{"Values": ["x"]}], [{"Key": "name", "Values": []}]):
                try:
                    sm.list_secrets(Filters=filters)
                    print("accepted")
                except botocore.exceptions.ClientError as e:
                    print(e.response["Error"]["Code"])
            """;

        var (exit, output) = await ExternalClient.RunAsync("/usr/bin/python3", ["-c", script], ExternalClient.AwsEnvironment(fixture));

        Assert.True(exit == 0, output);
        Assert.Equal(["InvalidParameterException", "ValidationException"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
