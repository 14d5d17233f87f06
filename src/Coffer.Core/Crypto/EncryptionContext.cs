using System.Buffers.Binary;
using System.Text;

namespace Coffer.Core.Crypto;

/// <summary>
/// KMS encryption context in the canonical byte form bound as associated data: pairs sorted by
/// key (ordinal), each as length-prefixed UTF-8. Length prefixes make the encoding unambiguous, so
/// {"a":"bc"} and {"ab":"c"} never collide.
/// </summary>
public static class EncryptionContext
{
    public static byte[] Canonicalize(IReadOnlyDictionary<string, string>? context)
    {
        if (context is null || context.Count == 0)
        {
            return [];
        }

        var keys = context.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        var size = 4;
        foreach (var key in keys)
        {
            size += 8 + Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(context[key]);
        }

        var buffer = new byte[size];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(span, keys.Length);
        span = span[4..];
        foreach (var key in keys)
        {
            span = WriteString(span, key);
            span = WriteString(span, context[key]);
        }

        return buffer;
    }

    private static Span<byte> WriteString(Span<byte> span, string value)
    {
        var length = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        return span[(4 + length)..];
    }
}
