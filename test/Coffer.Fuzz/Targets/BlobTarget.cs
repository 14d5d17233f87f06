using Coffer.Core.Crypto;

namespace Coffer.Fuzz.Targets;

/// <summary>
/// The KMS ciphertext blob reader: <see cref="CiphertextBlob.TryReadHeader"/> and
/// <see cref="CiphertextBlob.TryDecrypt"/> under a fixed key material and encryption context, as
/// Decrypt and ReEncrypt read what a caller sends. Input: the blob. Expected refusal: <c>false</c>;
/// every exception is a crash.
/// </summary>
public static class BlobTarget
{
    public static readonly Guid KeyId = new("1234abcd-12ab-34cd-56ef-1234567890ab");

    public static readonly byte[] Material = [.. Enumerable.Range(0, Aead.KeySize).Select(i => (byte)(i * 7))];

    public static readonly IReadOnlyDictionary<string, string> Context = new Dictionary<string, string>(StringComparer.Ordinal) { ["purpose"] = "fuzz" };

    public static void Run(byte[] data)
    {
        if (CiphertextBlob.TryReadHeader(data, out var keyId, out var version) && keyId == KeyId && version == 1)
        {
            CiphertextBlob.TryDecrypt(data, Material, Context, out _);
            CiphertextBlob.TryDecrypt(data, Material, null, out _);
        }
        else
        {
            CiphertextBlob.TryDecrypt(data, Material, Context, out _);
        }
    }
}
