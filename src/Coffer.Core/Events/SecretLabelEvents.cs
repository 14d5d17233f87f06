using System.Text.Json.Nodes;
using Coffer.Core.Storage;

namespace Coffer.Core.Events;

/// <summary>
/// Secrets Manager's own "Secret Label Updated" event (source <c>aws.secretsmanager</c>, detail
/// <c>name</c>, <c>labelUpdated</c>, <c>versionId</c>): sent when a staging label moves to another
/// version, for every label except AWSPENDING and AWSPREVIOUS, as AWS sends it. Worked out from the
/// call and the secret as the change left it, inside the change's transaction, so the services need
/// no code of their own for it (issue 9).
/// </summary>
internal static class SecretLabelEvents
{
    private const string Source = "secretsmanager.amazonaws.com";

    /// <summary>The events of the labels the call moved; the secret is read only when the call moved one.</summary>
    public static async ValueTask<IReadOnlyList<CofferEvent>> ForAsync(Call call, IStoreSession s, CancellationToken cancellationToken) =>
        Moved(call) is { Count: > 0 } moved ? [.. Events(call, moved, await s.Secrets.FindAsync(call.Resources[0].Arn, cancellationToken))] : [];

    /// <summary>The labels the call moved, and to which version; null when the call is not one that moves labels.</summary>
    private static List<(string Label, string VersionId)>? Moved(Call call)
    {
        if (call.EventSource != Source || call.Resources.Count == 0 || call.RequestParameters is not { } request)
        {
            return null;
        }

        return call.EventName switch
        {
            // A new version takes the labels asked for (AWSCURRENT if none were); its id is the request token.
            "CreateSecret" or "PutSecretValue" or "UpdateSecret" when Text(request["clientRequestToken"]) is { } version =>
                [.. Labels(request["versionStages"]).DefaultIfEmpty("AWSCURRENT").Select(label => (label, version))],
            "UpdateSecretVersionStage" when Text(request["versionStage"]) is { } label && Text(request["moveToVersionId"]) is { } version =>
                [(label, version)],
            _ => [],
        };
    }

    private static IEnumerable<CofferEvent> Events(Call call, List<(string Label, string VersionId)> moved, Secrets.Secret? secret)
    {
        foreach (var (label, versionId) in moved)
        {
            if (label is "AWSPENDING" or "AWSPREVIOUS" || secret?.FindVersion(versionId) is not { } version || !version.Stages.Contains(label))
            {
                continue;
            }

            yield return ChangeEvents.ServiceEvent("aws.secretsmanager", "Secret Label Updated", call.AccountId, call.Region, call.Origin.Time, [secret.Arn], new JsonObject
            {
                ["name"] = secret.Name,
                ["labelUpdated"] = label,
                ["versionId"] = versionId,
            });
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static IEnumerable<string> Labels(JsonNode? node) =>
        node is JsonArray array ? array.Select(Text).OfType<string>() : [];
}
