using Coffer.Core.Access;
using Coffer.Core.Crypto;
using Coffer.Core.Identity;
using Coffer.Core.Storage;

namespace Coffer.Server.Tests.Storage;

/// <summary>A read inside a write (issue 10): there is no ambient join any more. What a write needs
/// to read goes through the session it was given, and sees the write's changes; a read through the
/// store from inside it is refused, whichever entry point it takes.</summary>
public abstract partial class StoreContractTests
{
    private const string Account = "111122223333";

    [StoreFact]
    public async Task A_read_through_the_store_from_inside_a_write_fails_that_write_rather_than_joining_it()
    {
        await Store.WriteAsync((s, ct) => s.Meta.SetAsync("joined", "committed", ct));

        var write = Store.WriteAsync(async (s, ct) =>
        {
            await s.Meta.SetAsync("joined", "uncommitted", ct);
            return await Store.ReadAsync((r, c) => r.Meta.GetAsync("joined", c), ct);
        });

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => write);
        Assert.Contains("session the write was given", refused.Message, StringComparison.Ordinal);
        Assert.Equal("committed", await Store.ReadAsync((s, ct) => s.Meta.GetAsync("joined", ct)));
    }

    [StoreFact]
    public async Task The_callers_policies_resolved_inside_a_write_are_read_through_its_session_and_not_cached()
    {
        using var keyring = new Keyring();
        var resolver = new IdentityResolver(Store, new PolicyCache(), new CredentialStore(Store, keyring));
        var alice = new IamEntity
        {
            Kind = IamEntityKind.User,
            AccountId = Account,
            Name = "alice",
            Id = "AIDAALICEWITHINWRITE",
            Path = "/",
            Arn = $"arn:aws:iam::{Account}:user/alice",
            CreateDate = DateTimeOffset.UnixEpoch,
        };
        await Store.WriteAsync(async (s, ct) =>
        {
            await s.Iam.InsertAsync(alice, ct);
            return true;
        });
        var principal = new Principal(PrincipalType.IamUser, Account, alice.Arn, alice.Id, "AKIAALICEWITHINWRITE") { Name = "alice" };
        const string Allow = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}""";

        var write = Store.WriteAsync(async (s, ct) =>
        {
            await s.Iam.UpdateAsync(alice with { InlinePolicies = [new InlinePolicy("decrypt", Allow)] }, ct);
            var seen = (await resolver.ResolveAsync(principal, within: s, ct)).Policies.Select(p => p.Id).ToList();
            var throughStore = await RecordAsync(() => resolver.ResolveAsync(principal, cancellationToken: ct));
            return (seen, throughStore);
        });
        var (seen, throughStore) = await write;

        // The write's own change, uncommitted when it was read, is what the check saw.
        Assert.Equal(["decrypt"], seen);
        Assert.IsType<InvalidOperationException>(throughStore);

        // Read inside a write, which might have been undone, it was not cached: once the policy is gone
        // again, the next check does not see it (nothing here invalidates the resolver).
        await Store.WriteAsync(async (s, ct) =>
        {
            await s.Iam.UpdateAsync(alice, ct);
            return true;
        });
        Assert.Empty((await resolver.ResolveAsync(principal)).Policies);

        static async ValueTask<Exception?> RecordAsync(Func<ValueTask<ResolvedIdentity>> read)
        {
            try
            {
                await read();
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        }
    }
}
