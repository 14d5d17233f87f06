using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Coffer.Core.Identity;

/// <summary>
/// Console passwords, hashed with Argon2id and kept in the PHC string format
/// (<c>$argon2id$v=19$m=19456,t=2,p=1$SALT$HASH</c>), so that a stronger cost can be chosen later
/// and old hashes still verify. The cost is OWASP's first recommended Argon2id setting (19 MiB,
/// two passes): slow enough to make a stolen database expensive to guess, quick enough that
/// sign-in stays interactive on a small server. The password bytes are zeroed after use.
/// </summary>
public static class PasswordHasher
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const int MemoryKiB = 19 * 1024;
    private const int Iterations = 2;
    private const int Parallelism = 1;

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, MemoryKiB, Iterations, Parallelism, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"$argon2id$v=19$m={MemoryKiB},t={Iterations},p={Parallelism}${B64(salt)}${B64(hash)}");
    }

    /// <summary>Whether the password matches the hash; a malformed hash matches nothing.</summary>
    public static bool Verify(string password, string encoded)
    {
        var parts = encoded.Split('$');
        if (parts.Length != 6 || parts[1] != "argon2id" || parts[2] != "v=19")
        {
            return false;
        }

        var cost = parts[3].Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        var salt = Convert.FromBase64String(Pad(parts[4]));
        var expected = Convert.FromBase64String(Pad(parts[5]));
        var actual = Derive(password, salt, cost["m"], cost["t"], cost["p"], expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Spends the cost of one verification, so that a user without a password takes as long to refuse as a wrong one.</summary>
    public static void Waste(string password) => Derive(password, new byte[SaltBytes], MemoryKiB, Iterations, Parallelism, HashBytes);

    private static byte[] Derive(string password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            using var argon = new Argon2id(bytes)
            {
                Salt = salt,
                MemorySize = memoryKiB,
                Iterations = iterations,
                DegreeOfParallelism = parallelism,
            };
            return argon.GetBytes(length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static string Pad(string s) => s + new string('=', (4 - (s.Length % 4)) % 4);
}
