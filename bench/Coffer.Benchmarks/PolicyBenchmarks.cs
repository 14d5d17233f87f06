using BenchmarkDotNet.Attributes;
using Coffer.Core;
using Coffer.Core.Access;
using Coffer.Core.Identity;

namespace Coffer.Benchmarks;

/// <summary>
/// The cost of authorizing one request on the hot path (GetParameter, Decrypt): the caller's
/// identity policies resolved from the cache, the resource policy compiled once per text, then
/// evaluation. The baseline is the floor of any check at all: comparing the action and a resource
/// prefix by hand.
/// </summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private const string Account = "111122223333";
    private const string Parameter = "arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/db/password";
    private const string Key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static readonly string KeyPolicy = Coffer.Core.Kms.KeyPolicies.Default(Account, "us-east-1");

    private readonly Call _call = new(
        new Principal(PrincipalType.AssumedRole, Account, $"arn:aws:sts::{Account}:assumed-role/prod-fn/fn", "AROAPROD:fn", "ASIAPROD") { Name = "fn", RoleArn = $"arn:aws:iam::{Account}:role/prod-fn" },
        "us-east-1", "ssm.amazonaws.com", "GetParameter", new RequestOrigin("bench", DateTimeOffset.UtcNow, "10.0.0.1", "bench", true));

    private readonly AccessRequest _parameter = new("ssm:GetParameter", Parameter);
    private readonly AccessRequest _decrypt = new("kms:Decrypt", Key)
    {
        ResourcePolicy = KeyPolicy,
        ConditionKeys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["kms:CallerAccount"] = [Account],
            ["kms:EncryptionContext:PARAMETER_ARN"] = [Parameter],
        },
    };

    private PolicyAuthorizer _authorizer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var cache = new PolicyCache();
        PolicySource Source(string name, string json) => new(name, PolicySourceType.Role, cache.Get(json));
        var identity = new ResolvedIdentity(
        [
            Source("read-prod", """{"Version":"2012-10-17","Statement":[{"Sid":"ReadProd","Effect":"Allow","Action":["ssm:GetParameter","ssm:GetParameters","ssm:GetParametersByPath"],"Resource":"arn:aws:ssm:*:111122223333:parameter/app/prod/*"}]}"""),
            Source("decrypt-prod", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringLike":{"kms:EncryptionContext:PARAMETER_ARN":"arn:aws:ssm:*:*:parameter/app/prod/*"}}}]}"""),
            Source("no-dev", """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ssm:*","Resource":"arn:aws:ssm:*:*:parameter/app/dev/*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"""),
        ], null, null);
        _authorizer = new PolicyAuthorizer(new Fixed(identity), cache);
    }

    [Benchmark(Baseline = true)]
    public bool HandWrittenCheck() =>
        _parameter.Action == "ssm:GetParameter" && _parameter.Resource.StartsWith("arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/", StringComparison.Ordinal);

    [Benchmark]
    public ValueTask<bool> IdentityPolicies() => _authorizer.IsAllowedAsync(_call, _parameter);

    [Benchmark]
    public ValueTask<bool> KeyPolicyAndIdentityPolicies() => _authorizer.IsAllowedAsync(_call, _decrypt);

    private sealed class Fixed(ResolvedIdentity identity) : IIdentityResolver
    {
        public ResolvedIdentity Resolve(Principal principal, Coffer.Core.Storage.IStoreSession? within = null) => identity;

        public ValueTask<ResolvedIdentity> ResolveAsync(Principal principal, Coffer.Core.Storage.IStoreSession? within = null, CancellationToken cancellationToken = default) => new(identity);
    }
}
