using Coffer.Core.Aws;
using Coffer.Core.Identity;

namespace Coffer.Core.Access;

/// <summary>
/// Lets Coffer's own work act in an account: calls whose principal is a service principal
/// (<see cref="Principal.ForService"/>, such as a scheduled rotation run by secretsmanager.amazonaws.com)
/// are made in process only, never authenticated from the wire, so they may act on their own
/// account's resources. Every other call goes to the policy authorizer it wraps.
/// </summary>
public sealed class ServicePrincipalAuthorizer(IAuthorizer inner) : IAuthorizer
{
    public void Authorize(Call call, AccessRequest request)
    {
        if (!IsOwnServiceCall(call, request))
        {
            inner.Authorize(call, request);
        }
    }

    public bool IsAllowed(Call call, AccessRequest request) => IsOwnServiceCall(call, request) || inner.IsAllowed(call, request);

    private static bool IsOwnServiceCall(Call call, AccessRequest request) =>
        call.Principal.Type == PrincipalType.Service
        && (request.Resource == "*" || (Arn.TryParse(request.Resource, out var arn) && arn.Value.Account == call.AccountId));
}
