using System.Text.Json.Nodes;
using Coffer.Core.Audit;
using Coffer.Core.Identity;

namespace Coffer.Core;

/// <summary>
/// One API call as the domain sees it: who, in which region, from where, and what it is. Only
/// <see cref="Pipeline.CallPipeline"/> (and Core's own scheduled work) makes one, so every call that
/// reaches a domain service is audited; the services use it to authorize and to audit. It carries
/// no HTTP.
/// </summary>
public sealed class Call
{
    internal Call(Principal principal, string region, string eventSource, string eventName, RequestOrigin origin)
    {
        Principal = principal;
        Region = region;
        EventSource = eventSource;
        EventName = eventName;
        Origin = origin;
    }

    /// <summary>A call Coffer makes itself, as a service principal (CloudTrail's AWSService), for
    /// scheduled work such as a rotation or an expiry, about one resource.</summary>
    internal static Call ByService(string service, string accountId, string region, string eventName, DateTimeOffset now, string resourceArn, string resourceType)
    {
        var call = new Call(Principal.ForService(service, accountId), region, service, eventName, RequestOrigin.Internal(Guid.NewGuid().ToString(), now));
        call.AddResource(resourceArn, resourceType);
        return call;
    }

    public Principal Principal { get; }

    /// <summary>The region the caller signed for; resources live in it.</summary>
    public string Region { get; }

    /// <summary>The account the caller belongs to; resources it creates live in it.</summary>
    public string AccountId => Principal.AccountId;

    /// <summary>CloudTrail's eventSource, e.g. <c>kms.amazonaws.com</c>.</summary>
    public string EventSource { get; }

    /// <summary>The operation, e.g. <c>Encrypt</c>.</summary>
    public string EventName { get; }

    public RequestOrigin Origin { get; }

    /// <summary>The request's members with sensitive and binary values removed, for the audit record.</summary>
    public JsonObject? RequestParameters { get; set; }

    /// <summary>Whether the call changes state (CloudTrail's readOnly is the opposite).</summary>
    public bool Mutates { get; set; }

    /// <summary>The resources the call touched, filled in by the domain service as it finds them.</summary>
    public List<AuditResource> Resources { get; } = [];

    /// <summary>Set once the call's audit record is durably written, for example in the same
    /// transaction as the change it records.</summary>
    public bool Audited { get; private set; }

    public void AddResource(string arn, string type)
    {
        foreach (var r in Resources)
        {
            if (r.Arn == arn)
            {
                return;
            }
        }

        Resources.Add(new AuditResource(arn, type));
    }

    internal void MarkAudited() => Audited = true;
}

/// <summary>Where a request came from; what the audit log and conditions such as aws:SourceIp need.</summary>
public sealed record RequestOrigin(
    string RequestId,
    DateTimeOffset Time,
    string? SourceIp,
    string? UserAgent,
    bool SecureTransport)
{
    public static RequestOrigin Internal(string requestId, DateTimeOffset time) =>
        new(requestId, time, null, "coffer-internal", true);
}
