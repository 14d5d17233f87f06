using System.Collections.Concurrent;

namespace Coffer.Core.Access;

/// <summary>
/// Compiled policies by their text, so that a document is parsed once however many requests it
/// decides: resource policies arrive as text with each request (a key's policy, a secret's), and
/// identical documents share one compiled form. Stored documents were validated for their kind
/// when written; here they are compiled with <see cref="PolicyKind.Any"/>.
/// </summary>
public sealed class PolicyCache
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, Policy> _policies = new(StringComparer.Ordinal);

    public Policy Get(string document)
    {
        var cached = _policies.TryGetValue(document, out var policy);
        Diagnostics.CofferMetrics.CacheLookup("policy_documents", cached);
        if (cached)
        {
            return policy!;
        }

        policy = PolicyDocument.Parse(document, PolicyKind.Any);
        if (_policies.Count >= MaxEntries)
        {
            // Documents that are no longer used go with the rest; the ones in use come back on their next request.
            _policies.Clear();
        }

        return _policies.GetOrAdd(document, policy);
    }
}
