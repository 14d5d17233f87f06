using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Iam;

public sealed record AccessKeyRequest(string? UserName, string? AccessKeyId, string? Status, string? Marker, int? MaxItems);

/// <summary>The one response that carries a secret access key; it is never returned again.</summary>
public sealed record AccessKey(string? UserName, string AccessKeyId, string Status, string SecretAccessKey, DateTimeOffset CreateDate)
{
    public override string ToString() => $"AccessKey {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = (redacted) }}";
}

public sealed record CreateAccessKeyResponse(AccessKey AccessKey);

public sealed record ListAccessKeysResponse(IReadOnlyList<AccessKeyMetadata> AccessKeyMetadata, bool IsTruncated, string? Marker);

/// <summary>CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey.</summary>
public static class AccessKeys
{
    public static JsonOperation CreateAccessKey { get; } = JsonOperation.Create(
        "CreateAccessKey", static () => IamJson.Default.AccessKeyRequest, static () => IamJson.Default.CreateAccessKeyResponse,
        async (s, call, r, ct) =>
        {
            var key = await s.Identity.CreateAccessKeyAsync(call, r.UserName, ct);
            var record = key.Record;
            return new CreateAccessKeyResponse(new AccessKey(record.OwnerName, record.AccessKeyId, record.Status, key.SecretAccessKey, record.CreateDate));
        });

    public static JsonOperation ListAccessKeys { get; } = JsonOperation.Create(
        "ListAccessKeys", static () => IamJson.Default.AccessKeyRequest, static () => IamJson.Default.ListAccessKeysResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Identity.ListAccessKeysAsync(call, r.UserName, r.Marker, r.MaxItems, ct);
            return new ListAccessKeysResponse([.. page.Items.Select(k => new AccessKeyMetadata(k.OwnerName, k.AccessKeyId, k.Status, k.CreateDate))], page.IsTruncated, page.Marker);
        });

    public static JsonOperation UpdateAccessKey { get; } = JsonOperation.Create(
        "UpdateAccessKey", static () => IamJson.Default.AccessKeyRequest, static () => IamJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Identity.UpdateAccessKeyAsync(call, r.UserName, r.AccessKeyId!, r.Status!, ct);
            return new Empty();
        });

    public static JsonOperation DeleteAccessKey { get; } = JsonOperation.Create(
        "DeleteAccessKey", static () => IamJson.Default.AccessKeyRequest, static () => IamJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Identity.DeleteAccessKeyAsync(call, r.UserName, r.AccessKeyId!, ct);
            return new Empty();
        });
}
