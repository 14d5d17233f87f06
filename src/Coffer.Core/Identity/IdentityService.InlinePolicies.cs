using Coffer.Core.Access;

namespace Coffer.Core.Identity;

public sealed partial class IdentityService
{
    public Task PutInlinePolicyAsync(Call call, IamEntityKind kind, string name, string policyName, string document, CancellationToken ct)
    {
        ValidatePolicy(document, PolicyKind.Identity);
        Load(call, kind, name, Action("Put", kind, "Policy"));
        return ChangeAsync(call, s =>
        {
            var entity = Require(s, call, kind, name);
            var policies = entity.InlinePolicies.Where(p => p.Name != policyName).Append(new InlinePolicy(policyName, document)).ToList();
            var limit = kind switch { IamEntityKind.User => 2048, IamEntityKind.Group => 5120, _ => 10240 };
            if (policies.Sum(p => p.Document.Count(c => !char.IsWhiteSpace(c))) > limit)
            {
                throw IdentityErrors.LimitExceeded($"Maximum policy size of {limit} bytes exceeded for {IdentityErrors.Noun(kind)} {entity.Name}");
            }

            s.Iam.Update(entity with { InlinePolicies = policies });
            return true;
        }, ct);
    }

    public (IamEntity Entity, InlinePolicy Policy) GetInlinePolicy(Call call, IamEntityKind kind, string name, string policyName)
    {
        var entity = Load(call, kind, name, Action("Get", kind, "Policy"));
        var policy = entity.InlinePolicies.FirstOrDefault(p => p.Name == policyName) ?? throw InlineNotFound(kind, policyName);
        return (entity, policy);
    }

    public IamPage<string> ListInlinePolicies(Call call, IamEntityKind kind, string name, string? marker, int? maxItems)
    {
        var entity = Load(call, kind, name, Action("List", kind, "Policies"));
        return Page([.. entity.InlinePolicies.Select(p => p.Name).Order(StringComparer.Ordinal)], marker, maxItems);
    }

    public Task DeleteInlinePolicyAsync(Call call, IamEntityKind kind, string name, string policyName, CancellationToken ct)
    {
        Load(call, kind, name, Action("Delete", kind, "Policy"));
        return ChangeAsync(call, s =>
        {
            var entity = Require(s, call, kind, name);
            if (entity.InlinePolicies.All(p => p.Name != policyName))
            {
                throw InlineNotFound(kind, policyName);
            }

            s.Iam.Update(entity with { InlinePolicies = [.. entity.InlinePolicies.Where(p => p.Name != policyName)] });
            return true;
        }, ct);
    }

    private static CofferException InlineNotFound(IamEntityKind kind, string policyName) =>
        IdentityErrors.NoSuchEntity($"The {IdentityErrors.Noun(kind)} policy with name {policyName} cannot be found.");
}
