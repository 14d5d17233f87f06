using System.Collections;

namespace Coffer.Core.Diagnostics;

/// <summary>
/// The log scope of one call: its request id, the same as the audit record's <c>requestID</c> and
/// the <c>x-amzn-RequestId</c> the client got, so a log line leads to its audit record and back.
/// A list of pairs, so that JSON logs show it as a property; nothing else goes in it.
/// </summary>
public sealed class RequestScope(string requestId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string Key = "RequestId";

    public string RequestId => requestId;

    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new(Key, requestId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Key + ":" + requestId;
}
