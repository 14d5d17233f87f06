using Coffer.Core;
using Coffer.Core.Access;
using Coffer.Core.Identity;

namespace Coffer.Fuzz.Targets;

/// <summary>
/// The IAM policy language: <see cref="PolicyDocument.Parse"/> for every kind of policy, and a
/// document that compiles is then evaluated, as an identity and as a resource policy, against a
/// request with condition keys, so patterns, wildcards and conditions run too. Input: the document
/// (UTF-8, or UTF-16LE after a byte-order mark to reach lone surrogates). Expected refusal:
/// <see cref="PolicyFormatException"/>.
/// </summary>
public static class PolicyTarget
{
    private static readonly PolicyKind[] Kinds = [PolicyKind.Identity, PolicyKind.Resource, PolicyKind.Trust, PolicyKind.Any];

    private static readonly RequestContext Context = new(
        new Principal(PrincipalType.IamUser, "111122223333", "arn:aws:iam::111122223333:user/alice", "AIDAFUZZFUZZFUZZFUZZ", "AKIAFUZZFUZZFUZZFUZZ") { Name = "alice" },
        "kms:Decrypt",
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        new RequestOrigin("fuzz", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "192.0.2.10", "fuzz/1.0", true),
        "us-east-1",
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["kms:EncryptionContext:purpose"] = ["fuzz"],
            ["kms:CallerAccount"] = ["111122223333"],
            ["aws:RequestTag/team"] = ["blue", "green"],
        },
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["team"] = "blue" });

    public static void Run(byte[] data)
    {
        var text = FuzzTargets.Text(data);
        foreach (var kind in Kinds)
        {
            Policy policy;
            try
            {
                policy = PolicyDocument.Parse(text, kind);
            }
            catch (PolicyFormatException)
            {
                continue;
            }

            var source = new PolicySource("fuzz", kind == PolicyKind.Resource ? PolicySourceType.Resource : PolicySourceType.UserManaged, policy);
            var input = kind == PolicyKind.Resource
                ? new EvaluationInput { Context = Context, IdentityAllowsAll = true, ResourcePolicy = source, ResourcePolicyRequired = true }
                : new EvaluationInput { Context = Context, IdentityPolicies = [source] };
            PolicyEvaluator.Evaluate(input, explain: true);
        }
    }
}
