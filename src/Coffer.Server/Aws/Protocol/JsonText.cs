using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace Coffer.Server.Aws.Protocol;

/// <summary>
/// Checks what <see cref="JsonDocument"/> does not check while parsing: that every string is text.
/// The reader leaves string contents unvalidated until they are read, so raw bytes that are not
/// UTF-8, or an escaped lone surrogate (<c>"\ud800"</c>), would surface later as a server fault;
/// they are the caller's error and are refused up front.
/// </summary>
public static class JsonText
{
    public static bool IsValidUnicode(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            return false;
        }

        // Without an escape sequence there is nothing more to check (the common case, one vectorized scan).
        if (json.IndexOf("\\u"u8) < 0)
        {
            return true;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        var buffer = ArrayPool<byte>.Shared.Rent(256);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    var length = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
                    if (buffer.Length < length)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = ArrayPool<byte>.Shared.Rent(length);
                    }

                    // Unescaping validates: a lone surrogate throws.
                    reader.CopyString(buffer);
                }
            }

            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        catch (JsonException)
        {
            // Not JSON at all: the parser refuses it with its own message.
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
