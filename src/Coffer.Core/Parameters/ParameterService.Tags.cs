using Coffer.Core.Kms;
using Coffer.Core.Storage;

namespace Coffer.Core.Parameters;

public sealed partial class ParameterService
{
    public Task AddTagsToResourceAsync(Call call, string resourceType, string resourceId, IReadOnlyList<ResourceTag> tags, CancellationToken ct)
    {
        ResourceTags.Validate(tags, tags, SsmErrors.Validation, SsmErrors.TooManyTags);
        return UpdateTagsAsync(call, resourceType, resourceId, "ssm:AddTagsToResource", current =>
        {
            var merged = current.Where(t => tags.All(n => n.Key != t.Key)).Concat(tags).ToList();
            ResourceTags.Validate(tags, merged, SsmErrors.Validation, SsmErrors.TooManyTags);
            return merged;
        }, ct);
    }

    public Task RemoveTagsFromResourceAsync(Call call, string resourceType, string resourceId, IReadOnlyList<string> tagKeys, CancellationToken ct) =>
        UpdateTagsAsync(call, resourceType, resourceId, "ssm:RemoveTagsFromResource", current => [.. current.Where(t => !tagKeys.Contains(t.Key))], ct);

    public async Task<IReadOnlyList<ResourceTag>> ListTagsForResourceAsync(Call call, string resourceType, string resourceId, CancellationToken ct)
    {
        var name = TaggedName(resourceType, resourceId);
        await AuthorizeAsync(call, "ssm:ListTagsForResource", Arn(call, name), ct);
        return (await store.ReadAsync((s, ct) => FindTaggedAsync(s, call, name, ct), ct)).Tags;
    }

    private async Task UpdateTagsAsync(Call call, string resourceType, string resourceId, string action, Func<IReadOnlyList<ResourceTag>, IReadOnlyList<ResourceTag>> change, CancellationToken ct)
    {
        var name = TaggedName(resourceType, resourceId);
        await AuthorizeAsync(call, action, Arn(call, name), ct);
        await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            var parameter = await FindTaggedAsync(s, call, name, ct);
            await s.Parameters.SaveAsync(parameter with { Tags = change(parameter.Tags) }, ct);
            return true;
        }, ct);
    }

    private static string TaggedName(string resourceType, string resourceId)
    {
        if (resourceType != "Parameter")
        {
            throw SsmErrors.InvalidResourceType();
        }

        try
        {
            return ParameterNames.ValidateCharacters(resourceId);
        }
        catch (CofferException)
        {
            throw SsmErrors.InvalidResourceId();
        }
    }

    /// <summary>A parameter by the name a tagging call gives, with or without its leading slash.</summary>
    private static async ValueTask<Parameter> FindTaggedAsync(IStoreSession s, Call call, string name, CancellationToken ct) =>
        await FindByNameAsync(s, call, name, ct) ?? throw SsmErrors.InvalidResourceId();
}
