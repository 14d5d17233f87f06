namespace Coffer.Core.Crypto;

/// <summary>
/// Holds the root key once the server is unsealed. Until then every call that needs it fails
/// with <see cref="SealedException"/>, which the server answers with its "sealed" error.
/// </summary>
public sealed class Keyring : IDisposable
{
    private RootKey? _root;

    public bool IsSealed => Volatile.Read(ref _root) is null;

    public RootKey Root => Volatile.Read(ref _root) ?? throw new SealedException();

    public void Unseal(RootKey root)
    {
        var previous = Interlocked.Exchange(ref _root, root);
        if (previous is not null && !ReferenceEquals(previous, root))
        {
            previous.Dispose();
        }
    }

    public void Dispose() => Interlocked.Exchange(ref _root, null)?.Dispose();
}

public sealed class SealedException : Exception
{
    public SealedException()
        : base("Coffer is sealed. Unseal it with 'coffer unseal' or start it with COFFER_UNSEAL_PASSPHRASE set.")
    {
    }
}
