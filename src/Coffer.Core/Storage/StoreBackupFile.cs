using System.IO.Compression;
using System.Text.Json;

namespace Coffer.Core.Storage;

/// <summary>
/// <c>coffer backup</c>'s file: a gzipped JSON document holding a <see cref="StoreExport"/> (the schema
/// version and every table's rows; byte strings in base64). It holds what the store holds, so every
/// secret in it is wrapped by the root key, which is not in it: a backup is restored with the data
/// directory's root key, kept apart.
/// </summary>
public static class StoreBackupFile
{
    private const string Format = "coffer-backup";
    private const int FormatVersion = 1;

    public static void Write(Stream output, StoreExport export)
    {
        using var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
        using var json = new Utf8JsonWriter(gzip);
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteNumber("formatVersion", FormatVersion);
        json.WriteNumber("schemaVersion", export.SchemaVersion);
        json.WriteStartArray("tables");
        foreach (var table in export.Tables)
        {
            json.WriteStartObject();
            json.WriteString("name", table.Name);
            json.WriteStartArray("columns");
            table.Columns.ToList().ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteStartArray("rows");
            foreach (var row in table.Rows)
            {
                json.WriteStartArray();
                foreach (var value in row)
                {
                    WriteValue(json, value);
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Reads a backup; <see cref="InvalidDataException"/> when the file is not one.</summary>
    public static StoreExport Read(Stream input)
    {
        using var gzip = new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);
        using var doc = JsonDocument.Parse(gzip);
        var root = doc.RootElement;
        if (!root.TryGetProperty("format", out var format) || format.GetString() != Format || root.GetProperty("formatVersion").GetInt32() != FormatVersion)
        {
            throw new InvalidDataException("This is not a Coffer backup (or one from a newer version).");
        }

        var tables = root.GetProperty("tables").EnumerateArray().Select(t => new StoredTable(
            t.GetProperty("name").GetString()!,
            [.. t.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!)],
            [.. t.GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().Select(ReadValue).ToArray())])).ToList();
        return new StoreExport(root.GetProperty("schemaVersion").GetInt32(), tables);
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case byte[] b:
                json.WriteStartObject();
                json.WriteBase64String("b64", b);
                json.WriteEndObject();
                break;
            default:
                json.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }

    private static object? ReadValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetInt64(),
        JsonValueKind.Object => e.GetProperty("b64").GetBytesFromBase64(),
        _ => throw new InvalidDataException("A value in the backup has an unexpected type."),
    };
}
