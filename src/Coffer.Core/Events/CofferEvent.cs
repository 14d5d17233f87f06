using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Coffer.Core.Events;

/// <summary>
/// A change, announced in EventBridge's event shape. It is written to the outbox in the same
/// transaction as the change, so there is no change without its event and no event without its change.
/// </summary>
public sealed record CofferEvent
{
    [JsonPropertyName("version")]
    public string Version { get; init; } = "0";

    [JsonPropertyName("id")]
    public string Id { get; init; } = Guid.NewGuid().ToString();

    [JsonPropertyName("detail-type")]
    public required string DetailType { get; init; }

    [JsonPropertyName("source")]
    public required string Source { get; init; }

    [JsonPropertyName("account")]
    public required string Account { get; init; }

    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    [JsonPropertyName("region")]
    public required string Region { get; init; }

    [JsonPropertyName("resources")]
    public IReadOnlyList<string> Resources { get; init; } = [];

    [JsonPropertyName("detail")]
    public required JsonObject Detail { get; init; }
}

public sealed record StoredEvent(long Sequence, CofferEvent Event);

public interface IEventRepository
{

    ValueTask AppendAsync(CofferEvent e, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<StoredEvent>> ReadAfterAsync(long sequence, int limit, CancellationToken cancellationToken);

    /// <summary>The events before <paramref name="sequence"/>, newest first.</summary>
    ValueTask<IReadOnlyList<StoredEvent>> ReadBeforeAsync(long sequence, int limit, CancellationToken cancellationToken);
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CofferEvent))]
public sealed partial class EventJson : JsonSerializerContext;
