using Coffer.Core.Access;
using Coffer.Core.Identity;
using static Coffer.Core.Tests.Access.PolicyCase;

namespace Coffer.Core.Tests.Access;

public sealed class PolicyAuthorizerTests
{
    private readonly PolicyAuthorizer _authorizer = new(new NoPolicies(), new PolicyCache());

    [Fact]
    public async Task Coffers_own_scheduled_work_acts_in_its_account_only()
    {
        var call = new Call(Principal.ForService("kms.amazonaws.com", Account), Region, "kms.amazonaws.com", "DeleteKey", RequestOrigin.Internal("t", Now));

        await _authorizer.AuthorizeAsync(call, new AccessRequest("kms:ScheduleKeyDeletion", Key) { ResourcePolicy = Doc(For(AwsPrincipal(Alice.Arn), "Allow", "kms:Decrypt")) });
        Assert.False(await _authorizer.IsAllowedAsync(call, new AccessRequest("kms:Decrypt", OtherKey)));
    }

    [Fact]
    public async Task A_denial_has_AWS_message_naming_the_caller_the_action_and_the_resource()
    {
        var call = new Call(Alice, Region, "ssm.amazonaws.com", "GetParameter", new RequestOrigin("t", Now, null, null, true));

        var e = await Assert.ThrowsAsync<CofferException>(async () => await _authorizer.AuthorizeAsync(call, new AccessRequest("ssm:GetParameter", DevParameter)));

        Assert.Equal("AccessDeniedException", e.Code);
        Assert.Equal($"User: {Alice.Arn} is not authorized to perform: ssm:GetParameter on resource: {DevParameter} because no identity-based policy allows the ssm:GetParameter action", e.Message);
    }

    private sealed class NoPolicies : IIdentityResolver
    {
        public ResolvedIdentity Resolve(Principal principal, Coffer.Core.Storage.IStoreSession? within = null) => ResolvedIdentity.None;

        public ValueTask<ResolvedIdentity> ResolveAsync(Principal principal, Coffer.Core.Storage.IStoreSession? within = null, CancellationToken cancellationToken = default) => new(ResolvedIdentity.None);
    }
}
