using System.Text;
using BenchmarkDotNet.Attributes;
using Coffer.Core;
using Coffer.Core.Audit;
using Coffer.Core.Crypto;
using Coffer.Core.Identity;
using Coffer.Core.Parameters;
using Coffer.Core.Storage;
using Coffer.Server;
using Coffer.Storage.Sqlite;

namespace Coffer.Benchmarks;

/// <summary>
/// Whether reading a stage costs the same however many parameters the store holds. Two stores live
/// in the same process: one with 1,000 parameters, one with 100,000, all SecureStrings, spread over
/// 10 apps x 4 stages x 25 services. Each case reads one page of <c>/app03/prod</c> (MaxResults 10,
/// recursive, with decryption) through the domain service: the first page, and a page from the
/// middle of the stage (with a NextToken). The baseline is the same page in the small store, so the
/// Ratio column is the large store's cost over the small one's: 1.0 means page cost does not grow.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 5, iterationCount: 30)]
public class ParameterPathBenchmarks
{
    private const string Account = "111122223333";
    private const string Region = "us-east-1";
    private const string Stage = "/app03/prod";
    private static readonly string[] Stages = ["dev", "test", "staging", "prod"];
    private static readonly Principal Root = new(PrincipalType.Root, Account, $"arn:aws:iam::{Account}:root", Account, "AKIABENCHMARK0000001");
    private Fixture _small = null!;
    private Fixture _large = null!;

    [GlobalSetup]
    public void Setup()
    {
        _small = Fixture.Create(1_000);
        _large = Fixture.Create(100_000);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _small.Dispose();
        _large.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int FirstPage_1k() => _small.Page(null);

    [Benchmark]
    public int FirstPage_100k() => _large.Page(null);

    [Benchmark]
    public int MiddlePage_1k() => _small.Page(_small.MiddleToken);

    [Benchmark]
    public int MiddlePage_100k() => _large.Page(_large.MiddleToken);

    /// <summary>For scale: the ten KMS decryptions a page of ten SecureStrings needs, and nothing else.</summary>
    [Benchmark]
    public int TenDecryptions_100k() => _large.TenDecryptions();

    /// <summary>For scale: the hot read, one parameter with decryption.</summary>
    [Benchmark]
    public int GetParameter_100k() => _large.GetParameter();

    private static Call Call(string operation) => new(Root, Region, "ssm.amazonaws.com", operation, RequestOrigin.Internal("bench", DateTimeOffset.UtcNow));

    private sealed class Fixture(ICofferStore store, Keyring keyring, CofferServices services) : IDisposable
    {
        private readonly List<(byte[] Blob, Dictionary<string, string> Context)> _tenBlobs = [];
        private string _oneName = "";

        public string MiddleToken { get; private set; } = "";

        public static Fixture Create(int count)
        {
            var keyring = new Keyring();
            var root = RootKey.Generate();
            var chain = new AuditChainKeeper(null);
            chain.Open(AuditKeys.Derive(root), 1);
            keyring.Unseal(root);
            var store = SqliteStore.OpenMemory(chain);
            var fixture = new Fixture(store, keyring, new CofferServices(store, keyring, TimeProvider.System, Account, chain));
            fixture.Fill(count);
            return fixture;
        }

        public int Page(string? token) =>
            services.Parameters.GetParametersByPathAsync(Call("GetParametersByPath"), Stage, recursive: true, [], withDecryption: true, maxResults: 10, token, CancellationToken.None)
                .GetAwaiter().GetResult().Items.Count;

        public int TenDecryptions()
        {
            var total = 0;
            foreach (var (blob, context) in _tenBlobs)
            {
                total += services.Keys.DecryptAsync(Call("Decrypt"), blob, context).GetAwaiter().GetResult().Plaintext.Length;
            }

            return total;
        }

        public int GetParameter() =>
            services.Parameters.GetParameterAsync(Call("GetParameter"), _oneName, true, CancellationToken.None).GetAwaiter().GetResult().Value.Length;

        public void Dispose()
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            keyring.Dispose();
        }

        /// <summary>Writes the parameters straight to storage, encrypted through KMS with the PARAMETER_ARN context, 1,000 per transaction.</summary>
        private void Fill(int count)
        {
            var now = DateTimeOffset.UtcNow;
            var stageNames = new List<string>();
            for (var start = 0; start < count; start += 1000)
            {
                var batch = new List<ParameterVersion>();
                for (var i = start; i < Math.Min(start + 1000, count); i++)
                {
                    var name = $"/app{i % 10:D2}/{Stages[i / 10 % 4]}/svc{i / 40 % 25:D2}/key{i:D6}";
                    var context = new Dictionary<string, string> { ["PARAMETER_ARN"] = ParameterNames.Arn(Region, Account, name) };
                    var blob = services.Keys.EncryptAsync(Call("Encrypt"), ParameterService.DefaultKeyId, Encoding.UTF8.GetBytes("secret value " + i), context).GetAwaiter().GetResult().CiphertextBlob;
                    batch.Add(new ParameterVersion
                    {
                        Name = name, Version = 1, Type = ParameterTypes.SecureString, Ciphertext = blob, KeyId = ParameterService.DefaultKeyId,
                        Tier = ParameterTiers.Standard, LastModifiedDate = now, LastModifiedUser = Root.Arn,
                    });
                    if (ParameterNames.IsUnder(name, Stage))
                    {
                        stageNames.Add(name);
                        if (_tenBlobs.Count < 10)
                        {
                            _tenBlobs.Add((blob, context));
                        }
                    }
                }

                store.WriteAsync(async (s, ct) =>
                {
                    foreach (var v in batch)
                    {
                        await s.Parameters.InsertVersionAsync(Account, Region, v, ct);
                        await s.Parameters.SaveAsync(new Parameter { AccountId = Account, Region = Region, Current = v }, ct);
                    }

                    return true;
                }).GetAwaiter().GetResult();
            }

            stageNames.Sort(StringComparer.Ordinal);
            MiddleToken = PageToken.EncodeName(stageNames[stageNames.Count / 2]);
            _oneName = stageNames[3];
            if (Page(null) != 10 || Page(MiddleToken) != 10)
            {
                throw new InvalidOperationException("A page of the stage should hold 10 parameters.");
            }
        }
    }
}
