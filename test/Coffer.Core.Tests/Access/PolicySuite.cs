using Coffer.Core.Access;
using Coffer.Core.Identity;
using static Coffer.Core.Tests.Access.PolicyCase;

namespace Coffer.Core.Tests.Access;

public static partial class PolicySuite
{
    public static IReadOnlyList<PolicyCase> All { get; } =
    [
        .. Basics(), .. DenyPrecedence(), .. NotActionAndNotResource(), .. StringConditions(), .. OtherConditionFamilies(),
        .. IfExistsAndSets(), .. PolicyVariables(), .. SecretConditions(), .. ResourcePolicies(), .. KeyPolicies(), .. TrustPolicies(), .. CrossAccount(), .. Sessions(),
    ];

    /// <summary>Case names as theory data, so that each row is its own test.</summary>
    public static IEnumerable<object[]> Names => All.Select(c => new object[] { c.Name });

    public static PolicyCase Find(string name) => All.Single(c => c.Name == name);

    /// <summary>Evaluates a case the way a request is evaluated: through <see cref="PolicyAuthorizer"/>, with the case's policies as the caller's identity.</summary>
    public static ValueTask<AccessDecision> EvaluateAsync(PolicyCase c)
    {
        var cache = new PolicyCache();
        var identity = new ResolvedIdentity(
            [.. c.Identity.Select((document, i) => new PolicySource($"policy-{i + 1}", PolicySourceType.User, cache.Get(document)))],
            c.Tags,
            c.SessionPolicy is { } session ? new PolicySource("session policy", PolicySourceType.Session, cache.Get(session)) : null);
        var authorizer = new PolicyAuthorizer(new FixedIdentity(identity), cache);
        var origin = new RequestOrigin("test", Now, c.SourceIp, "test", c.SecureTransport);
        return authorizer.EvaluateAsync(c.Who, origin, Region, new AccessRequest(c.Action, c.Resource) { ResourcePolicy = c.ResourcePolicy, ConditionKeys = c.Keys }, explain: true);
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> Ks(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[p.Value], StringComparer.Ordinal);

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> Ks((string Key, string First, string Second) multi) =>
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [multi.Key] = [multi.First, multi.Second] };

    private sealed class FixedIdentity(ResolvedIdentity identity) : IIdentityResolver
    {
        public ResolvedIdentity Resolve(Principal principal, Coffer.Core.Storage.IStoreSession? within = null) => identity;

        public ValueTask<ResolvedIdentity> ResolveAsync(Principal principal, Coffer.Core.Storage.IStoreSession? within = null, CancellationToken cancellationToken = default) => new(identity);
    }
}

/// <summary>The table-driven policy suite: every row of <see cref="PolicySuite"/> is evaluated and checked against IAM's documented outcome.</summary>
public sealed class PolicySuiteTests
{
    [Theory]
    [MemberData(nameof(PolicySuite.Names), MemberType = typeof(PolicySuite))]
    public async Task Policy_evaluation_gives_the_documented_decision(string name)
    {
        var c = PolicySuite.Find(name);

        var decision = await PolicySuite.EvaluateAsync(c);

        Assert.Equal(c.Expected, decision.Decision);
        Assert.Equal(decision.Decision == Decision.Allowed, decision.Reason is null);
        if (c.Reason is not null)
        {
            Assert.Contains(c.Reason, decision.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_suite_has_at_least_150_distinct_cases_with_every_outcome()
    {
        Assert.True(PolicySuite.All.Count >= 150, $"only {PolicySuite.All.Count} cases");
        Assert.Equal(PolicySuite.All.Count, PolicySuite.All.Select(c => c.Name).Distinct().Count());
        foreach (var outcome in Enum.GetValues<Decision>())
        {
            Assert.Contains(PolicySuite.All, c => c.Expected == outcome);
        }
    }

    [Fact]
    public async Task An_explicit_deny_names_the_statements_that_denied()
    {
        var c = PolicySuite.Find("a deny beats an allow in the same statement list");

        var decision = await PolicySuite.EvaluateAsync(c);

        var matched = Assert.Single(decision.Matched);
        Assert.False(matched.Statement.IsAllow);
        Assert.Equal(2, matched.Statement.Number);
        Assert.Equal("policy-1", matched.Source.Id);
    }
}
