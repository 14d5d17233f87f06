using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Coffer.Core.Access;
using Coffer.Core.Aws;

namespace Coffer.Core.Parameters;

/// <summary>
/// Parameter sharing: PutResourcePolicy, GetResourcePolicies and DeleteResourcePolicy on a parameter.
/// As in AWS the parameter must be advanced, and a SecureString must use a customer managed key. The
/// policies take part in authorization of reads (GetParameter, GetParameters) as a resource policy: a
/// principal they allow may read without an identity policy of its own, and a Deny in them refuses.
/// A Coffer installation holds one account, so the cross-account case (both policies must allow)
/// is the policy engine's rule but has no second account to apply to.
/// </summary>
public sealed partial class ParameterService
{
    public async Task<ParameterResourcePolicy> PutResourcePolicyAsync(Call call, string resourceArn, string policy, string? policyId, string? policyHash, CancellationToken ct)
    {
        var name = SharedName(call, resourceArn);
        await AuthorizeAsync(call, "ssm:PutResourcePolicy", Arn(call, name), ct);
        try
        {
            PolicyDocument.Parse(policy, PolicyKind.Resource);
        }
        catch (PolicyFormatException e)
        {
            throw SsmErrors.MalformedResourcePolicy(e.Message);
        }

        return await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            var parameter = await FindByNameAsync(s, call, name, ct) ?? throw SsmErrors.ResourceNotFound(resourceArn);
            if (parameter.Current.Tier != ParameterTiers.Advanced)
            {
                throw SsmErrors.ResourcePolicyInvalidParameter("Only advanced parameters can be shared. Change the parameter's tier to Advanced and try again.");
            }

            if (parameter.Current.IsSecure && parameter.Current.KeyId is null or DefaultKeyId)
            {
                throw SsmErrors.ResourcePolicyInvalidParameter("A SecureString parameter encrypted with the AWS managed key cannot be shared. Encrypt it with a customer managed key and try again.");
            }

            var entry = new ParameterResourcePolicy(policyId ?? Guid.NewGuid().ToString("D"), Hash(policy), policy);
            List<ParameterResourcePolicy> policies = [.. parameter.ResourcePolicies];
            if (policyId is not null)
            {
                var index = policies.FindIndex(p => p.PolicyId == policyId);
                if (index < 0)
                {
                    throw SsmErrors.ResourcePolicyNotFound(policyId);
                }

                if (policies[index].PolicyHash != policyHash)
                {
                    throw SsmErrors.ResourcePolicyConflict();
                }

                policies[index] = entry;
            }
            else
            {
                policies.Add(entry);
            }

            await s.Parameters.SaveAsync(parameter with { ResourcePolicies = policies }, ct);
            return entry;
        }, ct);
    }

    public async Task<IReadOnlyList<ParameterResourcePolicy>> GetResourcePoliciesAsync(Call call, string resourceArn, CancellationToken ct)
    {
        var name = SharedName(call, resourceArn);
        await AuthorizeAsync(call, "ssm:GetResourcePolicies", Arn(call, name), ct);
        var parameter = await store.ReadAsync((s, ct) => FindByNameAsync(s, call, name, ct), ct) ?? throw SsmErrors.ResourceNotFound(resourceArn);
        return parameter.ResourcePolicies;
    }

    public async Task DeleteResourcePolicyAsync(Call call, string resourceArn, string policyId, string policyHash, CancellationToken ct)
    {
        var name = SharedName(call, resourceArn);
        await AuthorizeAsync(call, "ssm:DeleteResourcePolicy", Arn(call, name), ct);
        await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            var parameter = await FindByNameAsync(s, call, name, ct) ?? throw SsmErrors.ResourceNotFound(resourceArn);
            var existing = parameter.ResourcePolicies.FirstOrDefault(p => p.PolicyId == policyId) ?? throw SsmErrors.ResourcePolicyNotFound(policyId);
            if (existing.PolicyHash != policyHash)
            {
                throw SsmErrors.ResourcePolicyConflict();
            }

            await s.Parameters.SaveAsync(parameter with { ResourcePolicies = [.. parameter.ResourcePolicies.Where(p => p.PolicyId != policyId)] }, ct);
            return true;
        }, ct);
    }

    /// <summary>Authorizes a read of a parameter that exists, with its resource policies taking part.</summary>
    private ValueTask AuthorizeReadAsync(Call call, string action, Parameter parameter, CancellationToken ct)
    {
        call.AddResource(parameter.Arn, ResourceType);
        return authorizer.AuthorizeAsync(call, new AccessRequest(action, parameter.Arn) { ResourcePolicy = CombinedPolicy(parameter.ResourcePolicies) }, cancellationToken: ct);
    }

    /// <summary>One document holding every statement of the parameter's policies, as the policy engine takes one resource policy.</summary>
    private static string? CombinedPolicy(IReadOnlyList<ParameterResourcePolicy> policies)
    {
        if (policies.Count == 0)
        {
            return null;
        }

        if (policies.Count == 1)
        {
            return policies[0].Policy;
        }

        var statements = new JsonArray();
        foreach (var policy in policies)
        {
            switch (JsonNode.Parse(policy.Policy)?["Statement"])
            {
                case JsonArray array:
                    foreach (var statement in array)
                    {
                        statements.Add(statement?.DeepClone());
                    }

                    break;
                case JsonObject single:
                    statements.Add(single.DeepClone());
                    break;
            }
        }

        return new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements }.ToJsonString();
    }

    /// <summary>The parameter a ResourceArn names: a parameter ARN of the caller's account and Region.</summary>
    private static string SharedName(Call call, string resourceArn)
    {
        if (!Aws.Arn.TryParse(resourceArn, out var arn) || arn.Value.Service != "ssm" || !arn.Value.Resource.StartsWith("parameter/", StringComparison.Ordinal))
        {
            throw SsmErrors.ResourcePolicyInvalidParameter($"{resourceArn} is not the ARN of a parameter: Coffer shares parameters only.");
        }

        if (arn.Value.Account != call.AccountId || arn.Value.Region != call.Region)
        {
            throw SsmErrors.ResourceNotFound(resourceArn);
        }

        return "/" + arn.Value.Resource["parameter/".Length..];
    }

    private static string Hash(string policy) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(policy)));
}
