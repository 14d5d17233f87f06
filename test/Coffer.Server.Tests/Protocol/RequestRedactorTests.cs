using System.Text.Json;
using System.Text.Json.Nodes;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Tests.Protocol;

/// <summary>
/// The audit record's request parameters (issue 11): strings and booleans are made as values from the
/// element rather than its raw text parsed again, and must serialize to the same record text whatever
/// escapes, Unicode or markup a caller's string holds; a sensitive member never reaches them.
/// </summary>
public sealed class RequestRedactorTests
{
    private static readonly ServiceModel Ssm = ServiceModel.Load("ssm");

    [Theory]
    [InlineData("/app/prod/db")]
    [InlineData("/app/\\u00fcber/\\\"quoted\\\"")]
    [InlineData("/app/<script>&'x'")]
    [InlineData("/app/tab\\there\\nline\\\\back\\/slash")]
    [InlineData("/app/\\ud83d\\ude00/emoji")]
    [InlineData("/app/ſ/Ω/\\u2028")]
    public void A_string_member_is_recorded_as_its_raw_text_parsed_again_would_be(string escapedName)
    {
        var body = $$"""{"Name":"{{escapedName}}","WithDecryption":true}""";
        using var json = JsonDocument.Parse(body);
        var input = Ssm.FindOperation("GetParameter")!.Input!;

        var recorded = RequestRedactor.Redact(input, json.RootElement)!.ToJsonString();

        // What the redactor made before: each member's raw text parsed into a node.
        var before = new JsonObject
        {
            ["name"] = JsonNode.Parse(json.RootElement.GetProperty("Name").GetRawText()),
            ["withDecryption"] = JsonNode.Parse(json.RootElement.GetProperty("WithDecryption").GetRawText()),
        }.ToJsonString();
        Assert.Equal(before, recorded);
    }

    [Fact]
    public void A_sensitive_member_is_left_out()
    {
        using var json = JsonDocument.Parse("""{"Name":"/app/x","Value":"canary-value-51","Type":"SecureString","Overwrite":true}""");

        var recorded = RequestRedactor.Redact(Ssm.FindOperation("PutParameter")!.Input!, json.RootElement)!.ToJsonString();

        Assert.DoesNotContain("canary-value-51", recorded, StringComparison.Ordinal);
        Assert.Contains("\"overwrite\":true", recorded, StringComparison.Ordinal);
    }
}
