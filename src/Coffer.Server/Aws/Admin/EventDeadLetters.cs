using Coffer.Core.Events;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Admin;

public sealed record DeadLetterEntry(long Id, string EventId, string RuleArn, string TargetId, string TargetArn, long Attempts, string LastError, DateTimeOffset FailedAt, bool RedriveRequested)
{
    public static DeadLetterEntry From(DeadLetter d) => new(d.Id, d.EventId, d.RuleArn, d.TargetId, d.TargetArn, d.Attempts, d.LastError, d.FailedAt, d.RedriveRequested);
}

public sealed record ListEventDeadLettersResponse(List<DeadLetterEntry> DeadLetters);

public sealed record RedriveEventDeadLettersRequest(List<long>? Ids);

public sealed record RedriveEventDeadLettersResponse(long Count);

public sealed record GetApiDestinationSigningSecretRequest(string Name);

public sealed record GetApiDestinationSigningSecretResponse(string SigningSecret)
{
    public override string ToString() => "GetApiDestinationSigningSecretResponse { (redacted) }";
}

/// <summary>Coffer's own event-delivery operations: the dead-letter list, its redrive, and a destination's signing secret.</summary>
public static class EventDeadLetters
{
    public static JsonOperation List { get; } = JsonOperation.Create(
        "ListEventDeadLetters", static () => AdminJson.Default.Empty, static () => AdminJson.Default.ListEventDeadLettersResponse,
        async (s, call, _, ct) => new ListEventDeadLettersResponse([.. (await s.Rules.ListDeadLettersAsync(call, ct)).Select(DeadLetterEntry.From)]));

    public static JsonOperation Redrive { get; } = JsonOperation.Create(
        "RedriveEventDeadLetters", static () => AdminJson.Default.RedriveEventDeadLettersRequest, static () => AdminJson.Default.RedriveEventDeadLettersResponse,
        async (s, call, r, ct) => new RedriveEventDeadLettersResponse(await s.Rules.RedriveAsync(call, r.Ids ?? [], ct)));

    public static JsonOperation SigningSecret { get; } = JsonOperation.Create(
        "GetApiDestinationSigningSecret", static () => AdminJson.Default.GetApiDestinationSigningSecretRequest, static () => AdminJson.Default.GetApiDestinationSigningSecretResponse,
        async (s, call, r, ct) => new GetApiDestinationSigningSecretResponse(await s.Rules.GetSigningSecretAsync(call, r.Name, ct)));
}
