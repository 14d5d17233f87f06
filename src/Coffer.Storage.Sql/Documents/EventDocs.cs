using System.Text.Json.Serialization;
using Coffer.Core.Events;

namespace Coffer.Storage.Sql.Documents;

/// <summary><c>event_rules.doc</c>. The ARN is derived, not stored.</summary>
internal sealed record EventRuleDoc : IStoredDoc
{
    [JsonPropertyName("v")] public int V { get; set; } = StoredDoc.Current;
    [JsonPropertyName("AccountId")] public required string AccountId { get; init; }
    [JsonPropertyName("Region")] public required string Region { get; init; }
    [JsonPropertyName("Name")] public required string Name { get; init; }
    [JsonPropertyName("EventPattern")] public string? EventPattern { get; init; }
    [JsonPropertyName("ScheduleExpression")] public string? ScheduleExpression { get; init; }
    [JsonPropertyName("Enabled")] public bool Enabled { get; set; } = true;
    [JsonPropertyName("Description")] public string? Description { get; init; }
    [JsonPropertyName("RoleArn")] public string? RoleArn { get; init; }
    [JsonPropertyName("CreatedBy")] public required string CreatedBy { get; init; }

    public static string Write(EventRule r) => StoredDoc.Write(
        new EventRuleDoc
        {
            AccountId = r.AccountId, Region = r.Region, Name = r.Name, EventPattern = r.EventPattern, ScheduleExpression = r.ScheduleExpression,
            Enabled = r.Enabled, Description = r.Description, RoleArn = r.RoleArn, CreatedBy = r.CreatedBy,
        },
        DocJson.Default.EventRuleDoc);

    public static EventRule Read(string json)
    {
        var d = StoredDoc.Read(json, DocJson.Default.EventRuleDoc, "event_rules");
        return new EventRule
        {
            AccountId = d.AccountId, Region = d.Region, Name = d.Name, EventPattern = d.EventPattern, ScheduleExpression = d.ScheduleExpression,
            Enabled = d.Enabled, Description = d.Description, RoleArn = d.RoleArn, CreatedBy = d.CreatedBy,
        };
    }
}

/// <summary><c>event_targets.doc</c>.</summary>
internal sealed record RuleTargetDoc : IStoredDoc
{
    [JsonPropertyName("v")] public int V { get; set; } = StoredDoc.Current;
    [JsonPropertyName("Id")] public required string Id { get; init; }
    [JsonPropertyName("Arn")] public required string Arn { get; init; }
    [JsonPropertyName("RoleArn")] public string? RoleArn { get; init; }

    public static string Write(RuleTarget t) => StoredDoc.Write(new RuleTargetDoc { Id = t.Id, Arn = t.Arn, RoleArn = t.RoleArn }, DocJson.Default.RuleTargetDoc);

    public static RuleTarget Read(string json)
    {
        var d = StoredDoc.Read(json, DocJson.Default.RuleTargetDoc, "event_targets");
        return new RuleTarget(d.Id, d.Arn, d.RoleArn);
    }
}

/// <summary><c>event_connections.doc</c>: the secret half only as KMS ciphertext. The ARN is derived, not stored.</summary>
internal sealed record EventConnectionDoc : IStoredDoc
{
    [JsonPropertyName("v")] public int V { get; set; } = StoredDoc.Current;
    [JsonPropertyName("AccountId")] public required string AccountId { get; init; }
    [JsonPropertyName("Region")] public required string Region { get; init; }
    [JsonPropertyName("Name")] public required string Name { get; init; }
    [JsonPropertyName("Uuid")] public required string Uuid { get; init; }
    [JsonPropertyName("Description")] public string? Description { get; init; }
    [JsonPropertyName("AuthorizationType")] public required string AuthorizationType { get; init; }
    [JsonPropertyName("Public")] public required ConnectionPublicDoc Public { get; init; }
    [JsonPropertyName("EncryptedSecret")] public required byte[] EncryptedSecret { get; init; }
    [JsonPropertyName("CreationTime")] public required DateTimeOffset CreationTime { get; init; }
    [JsonPropertyName("LastModifiedTime")] public required DateTimeOffset LastModifiedTime { get; init; }

    public static string Write(EventConnection c) => StoredDoc.Write(
        new EventConnectionDoc
        {
            AccountId = c.AccountId, Region = c.Region, Name = c.Name, Uuid = c.Uuid, Description = c.Description, AuthorizationType = c.AuthorizationType,
            Public = new ConnectionPublicDoc(c.Public.Username, c.Public.ApiKeyName, c.Public.ClientId, c.Public.AuthorizationEndpoint, c.Public.OAuthHttpMethod),
            EncryptedSecret = c.EncryptedSecret, CreationTime = c.CreationTime, LastModifiedTime = c.LastModifiedTime,
        },
        DocJson.Default.EventConnectionDoc);

    public static EventConnection Read(string json)
    {
        var d = StoredDoc.Read(json, DocJson.Default.EventConnectionDoc, "event_connections");
        return new EventConnection
        {
            AccountId = d.AccountId, Region = d.Region, Name = d.Name, Uuid = d.Uuid, Description = d.Description, AuthorizationType = d.AuthorizationType,
            Public = new ConnectionPublicParameters(d.Public.Username, d.Public.ApiKeyName, d.Public.ClientId, d.Public.AuthorizationEndpoint, d.Public.OAuthHttpMethod),
            EncryptedSecret = d.EncryptedSecret, CreationTime = d.CreationTime, LastModifiedTime = d.LastModifiedTime,
        };
    }
}

internal sealed record ConnectionPublicDoc(
    [property: JsonPropertyName("Username")] string? Username,
    [property: JsonPropertyName("ApiKeyName")] string? ApiKeyName,
    [property: JsonPropertyName("ClientId")] string? ClientId,
    [property: JsonPropertyName("AuthorizationEndpoint")] string? AuthorizationEndpoint,
    [property: JsonPropertyName("OAuthHttpMethod")] string? OAuthHttpMethod);

/// <summary><c>event_api_destinations.doc</c>: the signing key only as KMS ciphertext. The ARN is derived, not stored.</summary>
internal sealed record ApiDestinationDoc : IStoredDoc
{
    [JsonPropertyName("v")] public int V { get; set; } = StoredDoc.Current;
    [JsonPropertyName("AccountId")] public required string AccountId { get; init; }
    [JsonPropertyName("Region")] public required string Region { get; init; }
    [JsonPropertyName("Name")] public required string Name { get; init; }
    [JsonPropertyName("Uuid")] public required string Uuid { get; init; }
    [JsonPropertyName("Description")] public string? Description { get; init; }
    [JsonPropertyName("ConnectionArn")] public required string ConnectionArn { get; init; }
    [JsonPropertyName("InvocationEndpoint")] public required string InvocationEndpoint { get; init; }
    [JsonPropertyName("HttpMethod")] public required string HttpMethod { get; init; }
    [JsonPropertyName("InvocationRateLimitPerSecond")] public int? InvocationRateLimitPerSecond { get; init; }
    [JsonPropertyName("EncryptedSigningSecret")] public required byte[] EncryptedSigningSecret { get; init; }
    [JsonPropertyName("CreationTime")] public required DateTimeOffset CreationTime { get; init; }
    [JsonPropertyName("LastModifiedTime")] public required DateTimeOffset LastModifiedTime { get; init; }

    public static string Write(ApiDestination a) => StoredDoc.Write(
        new ApiDestinationDoc
        {
            AccountId = a.AccountId, Region = a.Region, Name = a.Name, Uuid = a.Uuid, Description = a.Description, ConnectionArn = a.ConnectionArn,
            InvocationEndpoint = a.InvocationEndpoint, HttpMethod = a.HttpMethod, InvocationRateLimitPerSecond = a.InvocationRateLimitPerSecond,
            EncryptedSigningSecret = a.EncryptedSigningSecret, CreationTime = a.CreationTime, LastModifiedTime = a.LastModifiedTime,
        },
        DocJson.Default.ApiDestinationDoc);

    public static ApiDestination Read(string json)
    {
        var d = StoredDoc.Read(json, DocJson.Default.ApiDestinationDoc, "event_api_destinations");
        return new ApiDestination
        {
            AccountId = d.AccountId, Region = d.Region, Name = d.Name, Uuid = d.Uuid, Description = d.Description, ConnectionArn = d.ConnectionArn,
            InvocationEndpoint = d.InvocationEndpoint, HttpMethod = d.HttpMethod, InvocationRateLimitPerSecond = d.InvocationRateLimitPerSecond,
            EncryptedSigningSecret = d.EncryptedSigningSecret, CreationTime = d.CreationTime, LastModifiedTime = d.LastModifiedTime,
        };
    }
}
