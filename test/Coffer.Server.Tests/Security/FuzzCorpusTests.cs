using Coffer.Core.Crypto;
using Coffer.Fuzz.Targets;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Security;

/// <summary>
/// Issue 8: the fuzzing corpus (test/Coffer.Fuzz/corpus/TARGET/) replayed through the same target
/// functions the fuzzer runs. Each file is a seed or an input the fuzzer found; a crash it once
/// caused stays fixed while its file passes here. tools/fuzz.sh runs the long sessions.
/// </summary>
public sealed class FuzzCorpusTests
{
    private static readonly string CorpusRoot = Path.Combine(ExternalClient.RepositoryRoot, "test", "Coffer.Fuzz", "corpus");

    public static TheoryData<string, string> CorpusFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.All.Keys)
        {
            var dir = Path.Combine(CorpusRoot, target);
            foreach (var file in Directory.Exists(dir) ? Directory.GetFiles(dir).Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
            {
                data.Add(target, Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Corpus_input_is_accepted_or_refused_by_its_target_without_a_crash(string target, string file)
    {
        var input = File.ReadAllBytes(Path.Combine(CorpusRoot, target, file));

        var escaped = Record.Exception(() => FuzzTargets.All[target](input));

        Assert.Null(escaped);
    }

    [Fact]
    public void Every_target_has_a_corpus_to_replay()
    {
        foreach (var target in FuzzTargets.All.Keys)
        {
            var dir = Path.Combine(CorpusRoot, target);
            Assert.True(Directory.Exists(dir) && Directory.GetFiles(dir).Length >= 3, $"corpus/{target} needs seeds");
        }
    }

    [Fact]
    public void Signed_seeds_authenticate_so_the_fuzzer_starts_past_the_signature_check()
    {
        var signed = Directory.GetFiles(Path.Combine(CorpusRoot, "sigv4"), "valid-*");

        Assert.NotEmpty(signed);
        Assert.All(signed, file => Assert.NotNull(SigV4Target.Authenticate(File.ReadAllBytes(file))));
    }

    [Fact]
    public void Blob_seeds_decrypt_under_the_target_key_so_the_fuzzer_starts_from_real_blobs()
    {
        var blob = File.ReadAllBytes(Path.Combine(CorpusRoot, "blob", "short-plaintext"));

        Assert.True(CiphertextBlob.TryDecrypt(blob, BlobTarget.Material, BlobTarget.Context, out var plaintext));
        Assert.Equal("hello"u8.ToArray(), plaintext);
    }
}
