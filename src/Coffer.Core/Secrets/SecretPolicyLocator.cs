using Coffer.Core.Access;
using Coffer.Core.Storage;

namespace Coffer.Core.Secrets;

/// <summary>Finds a secret's resource policy by the secret's ARN, full or partial (without the random
/// suffix), for policy simulation. A partial ARN is completed, so a simulation evaluates the ARN that
/// real requests for the secret are authorized with.</summary>
public sealed class SecretPolicyLocator(ICofferStore store) : IResourcePolicyLocator
{
    public async ValueTask<LocatedResource?> LocateAsync(string resourceArn, CancellationToken cancellationToken) =>
        await store.ReadAsync((s, ct) => SecretService.FindByArnAsync(s, resourceArn, ct), cancellationToken) is { } secret
            ? new LocatedResource(secret.Arn, secret.ResourcePolicy)
            : null;
}
