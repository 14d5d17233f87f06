using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Iam;

public sealed record PolicyRequest(string? PolicyName, string? Path, string? PolicyDocument, string? Description, IReadOnlyList<Tag>? Tags, string? PolicyArn, string? VersionId, bool? SetAsDefault);

public sealed record ListPoliciesRequest(string? Scope, bool? OnlyAttached, string? PathPrefix, string? PolicyUsageFilter, string? Marker, int? MaxItems);

public sealed record PolicyResponse(Policy Policy);

public sealed record PolicyVersionResponse(PolicyVersion PolicyVersion);

public sealed record ListPoliciesResponse(IReadOnlyList<Policy> Policies, bool IsTruncated, string? Marker);

/// <summary>CreatePolicy, GetPolicy, GetPolicyVersion, CreatePolicyVersion, ListPolicies, DeletePolicy.</summary>
public static class ManagedPolicies
{
    public static JsonOperation CreatePolicy { get; } = JsonOperation.Create(
        "CreatePolicy", static () => IamJson.Default.PolicyRequest, static () => IamJson.Default.PolicyResponse,
        async (s, call, r, ct) => new PolicyResponse(Policy.From(await s.Identity.CreatePolicyAsync(call, r.PolicyName!, r.Path, r.PolicyDocument!, r.Description, Tag.ToDomain(r.Tags), ct), 0)));

    public static JsonOperation GetPolicy { get; } = JsonOperation.Create(
        "GetPolicy", static () => IamJson.Default.PolicyRequest, static () => IamJson.Default.PolicyResponse,
        async (s, call, r, ct) =>
        {
            var (policy, attachments) = await s.Identity.GetPolicyAsync(call, r.PolicyArn!, ct);
            return new PolicyResponse(Policy.From(policy, attachments));
        });

    public static JsonOperation GetPolicyVersion { get; } = JsonOperation.Create(
        "GetPolicyVersion", static () => IamJson.Default.PolicyRequest, static () => IamJson.Default.PolicyVersionResponse,
        async (s, call, r, ct) =>
        {
            var (policy, version) = await s.Identity.GetPolicyVersionAsync(call, r.PolicyArn!, r.VersionId!, ct);
            return new PolicyVersionResponse(PolicyVersion.From(policy, version));
        });

    public static JsonOperation CreatePolicyVersion { get; } = JsonOperation.Create(
        "CreatePolicyVersion", static () => IamJson.Default.PolicyRequest, static () => IamJson.Default.PolicyVersionResponse,
        async (s, call, r, ct) =>
        {
            var (policy, version) = await s.Identity.CreatePolicyVersionAsync(call, r.PolicyArn!, r.PolicyDocument!, r.SetAsDefault ?? false, ct);
            return new PolicyVersionResponse(PolicyVersion.From(policy, version) with { Document = null });
        });

    public static JsonOperation ListPolicies { get; } = JsonOperation.Create(
        "ListPolicies", static () => IamJson.Default.ListPoliciesRequest, static () => IamJson.Default.ListPoliciesResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Identity.ListPoliciesAsync(call, r.Scope, r.OnlyAttached ?? false, r.PathPrefix, r.Marker, r.MaxItems, ct);
            return new ListPoliciesResponse([.. page.Items.Select(p => Policy.From(p.Policy, p.Attachments) with { Tags = null })], page.IsTruncated, page.Marker);
        });

    public static JsonOperation DeletePolicy { get; } = JsonOperation.Create(
        "DeletePolicy", static () => IamJson.Default.PolicyRequest, static () => IamJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Identity.DeletePolicyAsync(call, r.PolicyArn!, ct);
            return new Empty();
        });
}
