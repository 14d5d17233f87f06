namespace Coffer.Fuzz.Targets;

/// <summary>
/// The fuzz targets by name (issue 8). Each takes raw bytes, drives one of Coffer's parsers the way
/// the server does, and swallows only that parser's typed refusal (a <c>CofferException</c>, a
/// <c>PolicyFormatException</c>, a <c>false</c>); anything else escapes and is a crash. The same
/// functions run under the fuzzer (tools/fuzz.sh) and in the corpus replay tests.
/// </summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["sigv4"] = SigV4Target.Run,
        ["json"] = JsonBodyTarget.Run,
        ["query"] = QueryFormTarget.Run,
        ["policy"] = PolicyTarget.Run,
        ["blob"] = BlobTarget.Run,
    };

    /// <summary>
    /// Text from fuzzer bytes: UTF-8 as a server decodes it (bad bytes become U+FFFD), or, after a
    /// UTF-16LE byte-order mark, raw UTF-16 code units, so that lone surrogates (which a JSON
    /// string's <c>\uD800</c> escape can put into a .NET string) reach the parser too.
    /// </summary>
    public static string Text(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 2 && data[0] == 0xFF && data[1] == 0xFE)
        {
            var units = data[2..];
            var chars = new char[units.Length / 2];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)(units[2 * i] | (units[(2 * i) + 1] << 8));
            }

            return new string(chars);
        }

        return System.Text.Encoding.UTF8.GetString(data);
    }

    /// <summary>Splits "first line\nrest" at the first newline (the rest is empty if there is none).</summary>
    public static (string FirstLine, byte[] Remainder) SplitFirstLine(byte[] data)
    {
        var newline = Array.IndexOf(data, (byte)'\n');
        return newline < 0
            ? (System.Text.Encoding.UTF8.GetString(data).TrimEnd('\r'), [])
            : (System.Text.Encoding.UTF8.GetString(data, 0, newline).TrimEnd('\r'), data[(newline + 1)..]);
    }
}
