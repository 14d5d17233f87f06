using System.Security.Cryptography;
using System.Text;

namespace Coffer.Core.Secrets;

/// <summary>
/// A secret's value in plaintext: a string or bytes. It is only ever held in memory on its way to
/// KMS or to the caller; <see cref="ToString"/> never shows it, so a log line or an exception that
/// formats one shows nothing secret.
/// </summary>
public sealed class SecretValue
{
    private SecretValue(SecretValueKind kind, string? text, byte[]? binary)
    {
        Kind = kind;
        Text = text;
        Binary = binary;
    }

    public SecretValueKind Kind { get; }

    public string? Text { get; }

    public byte[]? Binary { get; }

    public static SecretValue FromString(string text) => new(SecretValueKind.String, text, null);

    public static SecretValue FromBinary(byte[] binary) => new(SecretValueKind.Binary, null, binary);

    /// <summary>The value from a request that may carry either form; null when it carries neither.</summary>
    public static SecretValue? From(string? text, byte[]? binary)
    {
        if (text is not null && binary is not null)
        {
            throw SecretsErrors.BothValues();
        }

        return text is not null ? FromString(text) : binary is not null ? FromBinary(binary) : null;
    }

    public static SecretValue FromBytes(SecretValueKind kind, byte[] bytes) =>
        kind == SecretValueKind.String ? FromString(Encoding.UTF8.GetString(bytes)) : FromBinary(bytes);

    public byte[] ToBytes() => Kind == SecretValueKind.String ? Encoding.UTF8.GetBytes(Text!) : (byte[])Binary!.Clone();

    /// <summary>Compares two values in constant time (for a given length).</summary>
    public bool SameAs(SecretValue other)
    {
        var a = ToBytes();
        var b = other.ToBytes();
        try
        {
            return Kind == other.Kind && CryptographicOperations.FixedTimeEquals(a, b);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(a);
            CryptographicOperations.ZeroMemory(b);
        }
    }

    public override string ToString() => $"SecretValue({Kind}, redacted)";
}
