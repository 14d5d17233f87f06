namespace Coffer.Agent;

/// <summary>What the agent sends back: a status, a content type and the body's exact bytes.</summary>
public sealed record AgentAnswer(int Status, string ContentType, byte[] Body)
{
    private const string Json = "application/x-amz-json-1.1";

    public static AgentAnswer From(UpstreamAnswer upstream) => new(upstream.Status, upstream.ContentType, upstream.Body);

    /// <summary>The agent's own error, AWS-shaped (<c>__type</c>, <c>message</c>) with the status AWS's agent gives.</summary>
    public static AgentAnswer Error(int status, string type, string message)
    {
        using var buffer = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("__type", type);
            w.WriteString("message", message);
            w.WriteEndObject();
        }

        return new AgentAnswer(status, Json, buffer.ToArray());
    }
}
