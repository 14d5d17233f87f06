using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace Coffer.Server.Aws.Protocol;

/// <summary>Writes AWS query-protocol XML: results by the output shape (lists as <c>member</c>,
/// maps as <c>entry/key/value</c>, timestamps in ISO 8601), and the error document.</summary>
public static class QueryXml
{
    public const string ContentType = "text/xml";

    public static byte[] Response(ServiceModel model, string action, Shape? output, JsonElement result, string requestId)
    {
        return Write(model, w =>
        {
            w.WriteStartElement(action + "Response", Namespace(model));
            if (output is not null)
            {
                w.WriteStartElement(action + "Result");
                Members(w, output, result);
                w.WriteEndElement();
            }

            w.WriteStartElement("ResponseMetadata");
            w.WriteElementString("RequestId", requestId);
            w.WriteEndElement();
            w.WriteEndElement();
        });
    }

    public static byte[] Error(ServiceModel? model, int status, string code, string message, string requestId) =>
        Write(model, w =>
        {
            w.WriteStartElement("ErrorResponse", model is null ? "" : Namespace(model));
            w.WriteStartElement("Error");
            w.WriteElementString("Type", status >= 500 ? "Receiver" : "Sender");
            w.WriteElementString("Code", code);
            w.WriteElementString("Message", message);
            w.WriteEndElement();
            w.WriteElementString("RequestId", requestId);
            w.WriteEndElement();
        });

    private static string Namespace(ServiceModel model) => $"https://{model.SigningName}.amazonaws.com/doc/{model.ApiVersion}/";

    private static byte[] Write(ServiceModel? model, Action<XmlWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            writer.WriteStartDocument();
            body(writer);
            writer.WriteEndDocument();
        }

        return stream.ToArray();
    }

    private static void Members(XmlWriter w, Shape shape, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var (name, member) in shape.Members)
        {
            if (value.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null)
            {
                w.WriteStartElement(member.LocationName ?? name);
                Value(w, member.Shape, v);
                w.WriteEndElement();
            }
        }
    }

    private static void Value(XmlWriter w, Shape shape, JsonElement value)
    {
        switch (shape.Type)
        {
            case "structure":
                Members(w, shape, value);
                break;
            case "list":
                foreach (var item in value.EnumerateArray())
                {
                    w.WriteStartElement("member");
                    Value(w, shape.ListMember!, item);
                    w.WriteEndElement();
                }

                break;
            case "map":
                foreach (var entry in value.EnumerateObject())
                {
                    w.WriteStartElement("entry");
                    w.WriteElementString("key", entry.Name);
                    w.WriteStartElement("value");
                    Value(w, shape.MapValue!, entry.Value);
                    w.WriteEndElement();
                    w.WriteEndElement();
                }

                break;
            case "timestamp":
                var time = value.ValueKind == JsonValueKind.Number
                    ? DateTimeOffset.FromUnixTimeMilliseconds((long)(value.GetDouble() * 1000))
                    : value.GetDateTimeOffset();
                w.WriteString(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                break;
            case "boolean":
                w.WriteString(value.GetBoolean() ? "true" : "false");
                break;
            default:
                w.WriteString(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText());
                break;
        }
    }
}
