using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Core.Parameters;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Ssm;

/// <summary>Issue 13: ParameterLimitExceeded at the tier's quota, here lowered on this class's own server.</summary>
public sealed class ParameterQuotaTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly AmazonSimpleSystemsManagementClient _ssm = fixture.Ssm();

    [Fact]
    public async Task A_new_standard_parameter_past_the_quota_is_refused_while_updates_and_advanced_ones_go_on()
    {
        Assert.Equal(10_000, ParameterService.DefaultStandardQuota);
        var service = fixture.Server.Services.Parameters;
        var root = SsmTestKit.UniquePath();
        await _ssm.PutAsync(root + "/a", "1");
        service.StandardQuota = (int)await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Parameters.CountInTierAsync(CofferFixture.AccountId, CofferFixture.Region, ParameterTiers.Standard, ct)) + 1;
        try
        {
            await _ssm.PutAsync(root + "/b", "2");

            var refused = await Assert.ThrowsAsync<ParameterLimitExceededException>(() => _ssm.PutAsync(root + "/c", "3"));
            var update = await _ssm.PutAsync(root + "/a", "1b", overwrite: true);
            var advanced = await _ssm.PutParameterAsync(new PutParameterRequest { Name = root + "/d", Value = "4", Type = ParameterType.String, Tier = ParameterTier.Advanced });
            await _ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = root + "/b" });
            await _ssm.PutAsync(root + "/c", "3");

            Assert.Contains("exceeded the number of parameters", refused.Message, StringComparison.Ordinal);
            Assert.Equal(2, update.Version);
            Assert.Equal(ParameterTier.Advanced, advanced.Tier);
            Assert.Equal("3", (await _ssm.GetAsync(root + "/c")).Value);
        }
        finally
        {
            service.StandardQuota = ParameterService.DefaultStandardQuota;
        }
    }
}
