using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record TagResourceRequest(string SecretId, List<Tag> Tags);

public static class TagResource
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "TagResource", static () => SecretsManagerJson.Default.TagResourceRequest, static () => SecretsManagerJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Secrets.TagResourceAsync(call, r.SecretId, Tag.ToDomain(r.Tags), ct);
            return new Empty();
        });
}
