using System.Diagnostics.CodeAnalysis;

namespace Coffer.Core.Access;

/// <summary>
/// A request's service condition keys (<see cref="AccessRequest.ConditionKeys"/>), made the first
/// time anything asks for them: most decisions read none (the policies that allow a hot read have
/// no condition on them), and making them was a dictionary, its arrays and a list per key on every
/// Decrypt, GetParameter and GetSecretValue (issue 11). What it answers is the dictionary
/// <paramref name="make"/> returns, so it answers exactly what that dictionary would.
/// </summary>
public sealed class LazyConditionDictionary<TState>(TState state, Func<TState, IReadOnlyDictionary<string, IReadOnlyList<string>>> make) : IReadOnlyDictionary<string, IReadOnlyList<string>>
{
    // A race makes it twice, from the same state: either is the same.
    private IReadOnlyDictionary<string, IReadOnlyList<string>>? _made;

    private IReadOnlyDictionary<string, IReadOnlyList<string>> Made => _made ??= make(state);

    public IReadOnlyList<string> this[string key] => Made[key];

    public IEnumerable<string> Keys => Made.Keys;

    public IEnumerable<IReadOnlyList<string>> Values => Made.Values;

    public int Count => Made.Count;

    public bool ContainsKey(string key) => Made.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out IReadOnlyList<string> value) => Made.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, IReadOnlyList<string>>> GetEnumerator() => Made.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
