using Coffer.Core.Access;

namespace Coffer.Core.Identity;

public sealed partial class IdentityService
{
    public async Task PutInlinePolicyAsync(Call call, IamEntityKind kind, string name, string policyName, string document, CancellationToken ct)
    {
        ValidatePolicy(document, PolicyKind.Identity);
        await LoadAsync(call, kind, name, Action("Put", kind, "Policy"), ct);
        await ChangeAsync(call, async (s, ct) =>
        {
            var entity = await RequireAsync(s, call, kind, name, ct);
            var policies = entity.InlinePolicies.Where(p => p.Name != policyName).Append(new InlinePolicy(policyName, document)).ToList();
            var limit = kind switch { IamEntityKind.User => 2048, IamEntityKind.Group => 5120, _ => 10240 };
            if (policies.Sum(p => p.Document.Count(c => !char.IsWhiteSpace(c))) > limit)
            {
                throw IdentityErrors.LimitExceeded($"Maximum policy size of {limit} bytes exceeded for {IdentityErrors.Noun(kind)} {entity.Name}");
            }

            await s.Iam.UpdateAsync(entity with { InlinePolicies = policies }, ct);
            return true;
        }, ct);
    }

    public async Task<(IamEntity Entity, InlinePolicy Policy)> GetInlinePolicyAsync(Call call, IamEntityKind kind, string name, string policyName, CancellationToken ct)
    {
        var entity = await LoadAsync(call, kind, name, Action("Get", kind, "Policy"), ct);
        var policy = entity.InlinePolicies.FirstOrDefault(p => p.Name == policyName) ?? throw InlineNotFound(kind, policyName);
        return (entity, policy);
    }

    public async Task<IamPage<string>> ListInlinePoliciesAsync(Call call, IamEntityKind kind, string name, string? marker, int? maxItems, CancellationToken ct)
    {
        var entity = await LoadAsync(call, kind, name, Action("List", kind, "Policies"), ct);
        return Page([.. entity.InlinePolicies.Select(p => p.Name).Order(StringComparer.Ordinal)], marker, maxItems);
    }

    public async Task DeleteInlinePolicyAsync(Call call, IamEntityKind kind, string name, string policyName, CancellationToken ct)
    {
        await LoadAsync(call, kind, name, Action("Delete", kind, "Policy"), ct);
        await ChangeAsync(call, async (s, ct) =>
        {
            var entity = await RequireAsync(s, call, kind, name, ct);
            if (entity.InlinePolicies.All(p => p.Name != policyName))
            {
                throw InlineNotFound(kind, policyName);
            }

            await s.Iam.UpdateAsync(entity with { InlinePolicies = [.. entity.InlinePolicies.Where(p => p.Name != policyName)] }, ct);
            return true;
        }, ct);
    }

    private static CofferException InlineNotFound(IamEntityKind kind, string policyName) =>
        IdentityErrors.NoSuchEntity($"The {IdentityErrors.Noun(kind)} policy with name {policyName} cannot be found.");
}
