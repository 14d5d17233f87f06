using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Konscious.Security.Cryptography;

namespace Coffer.Core.Crypto;

/// <summary>How the root key is kept at rest in the data directory.</summary>
public enum SealKind
{
    /// <summary><c>root.key</c>, mode 0600: the key itself; the file's permissions are the protection.</summary>
    KeyFile,

    /// <summary><c>root.sealed</c>: the key wrapped by a key derived from an operator passphrase with Argon2id.</summary>
    Passphrase,
}

/// <summary>Argon2id cost. The defaults follow RFC 9106's second recommended option (64 MiB, t=3).</summary>
public sealed record Argon2Parameters(int MemoryKiB = 64 * 1024, int Iterations = 3, int Parallelism = 2)
{
    public static Argon2Parameters Default { get; } = new();
}

/// <summary>
/// Reads and writes the sealed root key. The passphrase form stores the Argon2id salt and cost with
/// the wrapped key, so the cost can be raised later without breaking existing data directories.
/// </summary>
public static class RootKeySeal
{
    public const string KeyFileName = "root.key";
    public const string SealedFileName = "root.sealed";
    private const string AssociatedData = "coffer-root-seal-v1";

    public static SealKind? Detect(string dataDir)
    {
        if (File.Exists(Path.Combine(dataDir, SealedFileName)))
        {
            return SealKind.Passphrase;
        }

        return File.Exists(Path.Combine(dataDir, KeyFileName)) ? SealKind.KeyFile : null;
    }

    public static void WriteKeyFile(string dataDir, RootKey key)
    {
        var raw = key.Export();
        try
        {
            var doc = new SealFile { Version = 1, Kind = "keyfile", Key = Convert.ToBase64String(raw) };
            SecureFile.WriteAllText(Path.Combine(dataDir, KeyFileName), JsonSerializer.Serialize(doc, SealJson.Default.SealFile));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    public static RootKey ReadKeyFile(string dataDir)
    {
        var path = Path.Combine(dataDir, KeyFileName);
        var doc = JsonSerializer.Deserialize(File.ReadAllText(path), SealJson.Default.SealFile)
            ?? throw new InvalidDataException($"{path} is empty.");
        if (doc.Version != 1 || doc.Kind != "keyfile" || doc.Key is null)
        {
            throw new InvalidDataException($"{path} is not a Coffer root key file.");
        }

        var raw = Convert.FromBase64String(doc.Key);
        try
        {
            return new RootKey(raw);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    public static void WritePassphraseSealed(string dataDir, RootKey key, string passphrase, Argon2Parameters? cost = null)
    {
        cost ??= Argon2Parameters.Default;
        var salt = RandomNumberGenerator.GetBytes(16);
        var kek = DeriveKey(passphrase, salt, cost);
        var raw = key.Export();
        try
        {
            var wrapped = Aead.Seal(kek, raw, Encoding.ASCII.GetBytes(AssociatedData));
            var doc = new SealFile
            {
                Version = 1,
                Kind = "argon2id",
                Salt = Convert.ToBase64String(salt),
                MemoryKiB = cost.MemoryKiB,
                Iterations = cost.Iterations,
                Parallelism = cost.Parallelism,
                Wrapped = Convert.ToBase64String(wrapped),
            };
            SecureFile.WriteAllText(Path.Combine(dataDir, SealedFileName), JsonSerializer.Serialize(doc, SealJson.Default.SealFile));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    /// <summary>Unseals with a passphrase; null when the passphrase is wrong.</summary>
    public static RootKey? TryUnseal(string dataDir, string passphrase)
    {
        var path = Path.Combine(dataDir, SealedFileName);
        var doc = JsonSerializer.Deserialize(File.ReadAllText(path), SealJson.Default.SealFile)
            ?? throw new InvalidDataException($"{path} is empty.");
        if (doc.Version != 1 || doc.Kind != "argon2id" || doc.Salt is null || doc.Wrapped is null)
        {
            throw new InvalidDataException($"{path} is not a Coffer sealed root key.");
        }

        var cost = new Argon2Parameters(doc.MemoryKiB, doc.Iterations, doc.Parallelism);
        var kek = DeriveKey(passphrase, Convert.FromBase64String(doc.Salt), cost);
        try
        {
            var raw = Aead.TryOpen(kek, Convert.FromBase64String(doc.Wrapped), Encoding.ASCII.GetBytes(AssociatedData));
            if (raw is null)
            {
                return null;
            }

            try
            {
                return new RootKey(raw);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(raw);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    private static byte[] DeriveKey(string passphrase, byte[] salt, Argon2Parameters cost)
    {
        var password = Encoding.UTF8.GetBytes(passphrase);
        try
        {
            using var argon = new Argon2id(password)
            {
                Salt = salt,
                MemorySize = cost.MemoryKiB,
                Iterations = cost.Iterations,
                DegreeOfParallelism = cost.Parallelism,
            };
            return argon.GetBytes(Aead.KeySize);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
    }
}

internal sealed class SealFile
{
    public int Version { get; set; }

    public string Kind { get; set; } = "";

    public string? Key { get; set; }

    public string? Salt { get; set; }

    public int MemoryKiB { get; set; }

    public int Iterations { get; set; }

    public int Parallelism { get; set; }

    public string? Wrapped { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(SealFile))]
internal sealed partial class SealJson : JsonSerializerContext;
