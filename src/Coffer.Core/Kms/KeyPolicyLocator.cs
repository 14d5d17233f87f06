using Coffer.Core.Access;
using Coffer.Core.Aws;
using Coffer.Core.Storage;

namespace Coffer.Core.Kms;

/// <summary>Finds a KMS key's policy by the key's ARN, for policy simulation.</summary>
public sealed class KeyPolicyLocator(ICofferStore store) : IResourcePolicyLocator
{
    public async ValueTask<LocatedResource?> LocateAsync(string resourceArn, CancellationToken cancellationToken) =>
        Arn.TryParse(resourceArn, out var arn) && arn.Value.Service == "kms" && arn.Value.Resource.StartsWith("key/", StringComparison.Ordinal)
        && KeyIds.TryParse(arn.Value.Resource[4..], out var keyId)
        && await store.ReadAsync((s, ct) => s.Kms.FindKeyAsync(keyId, arn.Value.Region, ct), cancellationToken) is { } key && key.Arn == resourceArn
            ? new LocatedResource(key.Arn, key.Policy)
            : null;
}
