using System.Text.Json.Serialization;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Iam;

/// <summary>The IAM request and response records, source-generated. Dates are ISO 8601 here; the query adapter writes them as AWS does.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Empty))]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(UserRequest))]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(ListRequest))]
[JsonSerializable(typeof(ListUsersResponse))]
[JsonSerializable(typeof(GroupRequest))]
[JsonSerializable(typeof(GroupResponse))]
[JsonSerializable(typeof(GetGroupResponse))]
[JsonSerializable(typeof(ListGroupsResponse))]
[JsonSerializable(typeof(CreateRoleRequest))]
[JsonSerializable(typeof(RoleRequest))]
[JsonSerializable(typeof(RoleResponse))]
[JsonSerializable(typeof(ListRolesResponse))]
[JsonSerializable(typeof(AccessKeyRequest))]
[JsonSerializable(typeof(CreateAccessKeyResponse))]
[JsonSerializable(typeof(ListAccessKeysResponse))]
[JsonSerializable(typeof(EntityPolicyRequest))]
[JsonSerializable(typeof(GetEntityPolicyResponse))]
[JsonSerializable(typeof(ListEntityPoliciesResponse))]
[JsonSerializable(typeof(ListAttachedPoliciesResponse))]
[JsonSerializable(typeof(PolicyRequest))]
[JsonSerializable(typeof(ListPoliciesRequest))]
[JsonSerializable(typeof(PolicyResponse))]
[JsonSerializable(typeof(PolicyVersionResponse))]
[JsonSerializable(typeof(ListPoliciesResponse))]
[JsonSerializable(typeof(LoginProfileRequest))]
[JsonSerializable(typeof(ChangePasswordRequest))]
[JsonSerializable(typeof(LoginProfileResponse))]
[JsonSerializable(typeof(SimulatePrincipalPolicyRequest))]
[JsonSerializable(typeof(SimulatePolicyResponse))]
internal sealed partial class IamJson : JsonSerializerContext;
