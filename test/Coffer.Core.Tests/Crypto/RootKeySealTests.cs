using System.Security.Cryptography;
using System.Text;
using Coffer.Core.Crypto;

namespace Coffer.Core.Tests.Crypto;

public sealed class RootKeySealTests : IDisposable
{
    // Cheap Argon2id cost, so the test is quick; the format records the cost used.
    private static readonly Argon2Parameters TestCost = new(MemoryKiB: 1024, Iterations: 1, Parallelism: 1);
    private readonly string _dir = Directory.CreateTempSubdirectory("coffer-seal-").FullName;

    [Fact]
    public void A_passphrase_sealed_key_unseals_only_with_that_passphrase()
    {
        using var root = RootKey.Generate();
        var wrapped = root.Wrap("value"u8, "test");
        RootKeySeal.WritePassphraseSealed(_dir, root, "correct horse", TestCost);

        Assert.Equal(SealKind.Passphrase, RootKeySeal.Detect(_dir));
        Assert.Null(RootKeySeal.TryUnseal(_dir, "wrong horse"));
        using var unsealed = RootKeySeal.TryUnseal(_dir, "correct horse");
        Assert.NotNull(unsealed);
        Assert.Equal("value"u8.ToArray(), unsealed.Unwrap(wrapped, "test"));
    }

    [Fact]
    public void The_sealed_file_holds_no_copy_of_the_key_and_records_the_argon2id_cost()
    {
        using var root = RootKey.Generate();
        RootKeySeal.WritePassphraseSealed(_dir, root, "pw", TestCost);
        var text = File.ReadAllText(Path.Combine(_dir, RootKeySeal.SealedFileName));
        var raw = root.Export();

        Assert.DoesNotContain(Convert.ToBase64String(raw), text, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"argon2id\"", text, StringComparison.Ordinal);
        Assert.Contains("\"memoryKiB\": 1024", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_files_round_trip_and_are_owner_only()
    {
        using var root = RootKey.Generate();
        RootKeySeal.WriteKeyFile(_dir, root);
        using var read = RootKeySeal.ReadKeyFile(_dir);

        Assert.Equal(SealKind.KeyFile, RootKeySeal.Detect(_dir));
        Assert.Equal(root.Export(), read.Export());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, RootKeySeal.KeyFileName)));
        }
    }

    [Fact]
    public void A_value_wrapped_for_one_purpose_does_not_unwrap_for_another()
    {
        using var root = RootKey.Generate();
        var wrapped = root.Wrap(Encoding.UTF8.GetBytes("material"), "kms-material:a:1");

        Assert.Throws<CryptographicException>(() => root.Unwrap(wrapped, "kms-material:b:1"));
        using var other = RootKey.Generate();
        Assert.Throws<CryptographicException>(() => other.Unwrap(wrapped, "kms-material:a:1"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
