using Coffer.Core.Kms;
using Coffer.Core.Parameters;
using Coffer.Core.Secrets;

namespace Coffer.Core.Storage;

/// <summary>
/// What a <see cref="ReadCache"/> entry holds on the managed heap, estimated from its strings, arrays
/// and lists (the parts that grow with what users store: values, policies, descriptions, tags,
/// versions), for the cache's byte bound. An estimate on the high side, not a measurement: object
/// headers and fields are counted at a flat rate per object.
/// </summary>
public static class ReadCacheWeights
{
    /// <summary>An object's header and a few fields, and a cache entry's own bookkeeping.</summary>
    private const long Object = 64;

    public static long Of(string? text) => text is null ? 0 : 24 + 2L * text.Length;

    public static long Of(byte[]? bytes) => bytes is null ? 0 : 24 + bytes.Length;

    public static long Of(IReadOnlyList<ResourceTag> tags)
    {
        var total = Object;
        foreach (var tag in tags)
        {
            total += Object + Of(tag.Key) + Of(tag.Value);
        }

        return total;
    }

    public static long Of(KmsKey? key) =>
        key is null ? Object
            : Object * 2 + Of(key.Description) + Of(key.Policy) + Of(key.Tags) + Of(key.ImportedMaterialFingerprint)
              + key.Rotations.Count * Object + key.ReplicaRegions.Sum(r => Object + Of(r));

    public static long Of(ParameterVersion? version)
    {
        if (version is null)
        {
            return 0;
        }

        var total = Object * 2 + Of(version.Name) + Of(version.Value) + Of(version.Ciphertext) + Of(version.KeyId) + Of(version.Description)
            + Of(version.AllowedPattern) + Of(version.LastModifiedUser);
        foreach (var policy in version.Policies)
        {
            total += Object + Of(policy.Text);
        }

        return total + version.Labels.Sum(l => Object + Of(l));
    }

    public static long Of(Parameter? parameter, ParameterVersion? selected)
    {
        if (parameter is null)
        {
            return Object;
        }

        var total = Object + Of(parameter.Current) + Of(parameter.Tags) + parameter.ResourcePolicies.Sum(p => Object + Of(p.PolicyId) + Of(p.PolicyHash) + Of(p.Policy));
        return ReferenceEquals(selected, parameter.Current) ? total : total + Of(selected);
    }

    public static long Of(Secret? secret)
    {
        if (secret is null)
        {
            return Object;
        }

        var total = Object * 2 + Of(secret.Name) + Of(secret.Suffix) + Of(secret.Description) + Of(secret.KmsKeyId) + Of(secret.Tags)
            + Of(secret.ResourcePolicy) + Of(secret.RotationLambdaArn) + Of(secret.PrimaryRegion) + secret.Replicas.Count * Object * 2;
        foreach (var version in secret.Versions)
        {
            total += Object * 2 + Of(version.VersionId) + Of(version.KmsKeyArn) + version.Stages.Sum(s => Object + Of(s));
        }

        return total;
    }
}
