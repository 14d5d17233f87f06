using System.Text.Json;
using Coffer.Core.Audit;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Ssm;

/// <summary>
/// Text that is not valid Unicode (an escaped lone surrogate, which JSON allows and UTF-8 cannot
/// carry) in an audited request: a clean answer, never a 500, and the audit chain, whose records are
/// now bound as UTF-8 bytes and turned to text by the database, stays intact on either store.
/// </summary>
public sealed class InvalidTextTests(CofferFixture fixture) : IClassFixture<CofferFixture>, IDisposable
{
    private readonly RawClient _raw = new(fixture);

    [Fact]
    public async Task A_lone_surrogate_in_a_name_or_a_description_gets_an_aws_answer_and_the_chain_still_verifies()
    {
        var name = "/lone/" + Guid.NewGuid().ToString("N")[..8];
        var refused = await _raw.SendSignedAsync("AmazonSSM.GetParameter", """{"Name":"/lone/\ud800"}""", service: "ssm");
        var described = await _raw.SendSignedAsync("AmazonSSM.PutParameter",
            $$"""{"Name":"{{name}}","Value":"v","Type":"String","Description":"odd \udc00 text"}""", service: "ssm");

        Assert.InRange(refused.Status, 400, 499);
        Assert.NotNull(refused.Type);
        Assert.True(described.Status is 200 or (>= 400 and < 500), $"PutParameter answered {described.Status} {described.Type}: {described.Message}");

        var records = await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, 100_000, ct));
        Assert.True(AuditChain.Verify(records, fixture.Server.Services.AuditChain.Keys, 1, null).IsIntact);
        Assert.Contains(records, r => JsonDocument.Parse(r.Json).RootElement.GetProperty("eventName").GetString() == "PutParameter");
    }

    public void Dispose() => _raw.Dispose();
}
