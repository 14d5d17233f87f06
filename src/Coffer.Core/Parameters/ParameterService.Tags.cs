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

    public IReadOnlyList<ResourceTag> ListTagsForResource(Call call, string resourceType, string resourceId)
    {
        var name = TaggedName(resourceType, resourceId);
        Authorize(call, "ssm:ListTagsForResource", Arn(call, name));
        return store.Read(s => FindTagged(s, call, name)).Tags;
    }

    private Task UpdateTagsAsync(Call call, string resourceType, string resourceId, string action, Func<IReadOnlyList<ResourceTag>, IReadOnlyList<ResourceTag>> change, CancellationToken ct)
    {
        var name = TaggedName(resourceType, resourceId);
        Authorize(call, action, Arn(call, name));
        return audit.WriteChangeAsync(call, s =>
        {
            var parameter = FindTagged(s, call, name);
            s.Parameters.Save(parameter with { Tags = change(parameter.Tags) });
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
    private static Parameter FindTagged(IStoreSession s, Call call, string name) =>
        FindByName(s, call, name) ?? throw SsmErrors.InvalidResourceId();
}
