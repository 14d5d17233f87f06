using Coffer.Core.Access;
using Coffer.Core.Aws;
using Coffer.Core.Storage;

namespace Coffer.Core.Kms;

/// <summary>Finds a KMS key's policy by the key's ARN, for policy simulation.</summary>
public sealed class KeyPolicyLocator(ICofferStore store) : IResourcePolicyLocator
{
    public LocatedResource? Locate(string resourceArn) =>
        Arn.TryParse(resourceArn, out var arn) && arn.Value.Service == "kms" && arn.Value.Resource.StartsWith("key/", StringComparison.Ordinal)
        && KeyIds.TryParse(arn.Value.Resource[4..], out var keyId) && store.Read(s => s.Kms.FindKey(keyId, arn.Value.Region)) is { } key && key.Arn == resourceArn
            ? new LocatedResource(key.Arn, key.Policy)
            : null;
}
