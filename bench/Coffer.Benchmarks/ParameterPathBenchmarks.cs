using System.Text;
using BenchmarkDotNet.Attributes;
using Coffer.Core;
using Coffer.Core.Crypto;
using Coffer.Core.Identity;
using Coffer.Core.Parameters;
using Coffer.Core.Storage;
using Coffer.Server;
using Coffer.Storage.Sqlite;

namespace Coffer.Benchmarks;

/// <summary>
/// Whether reading a stage costs the same however many parameters the store holds. Parameters
/// (all SecureStrings) are spread over 10 apps x 4 stages x 25 services. Each case reads one page
/// of <c>/app03/prod</c> (MaxResults 10, recursive, with decryption) through the domain service,
/// first page and a page from the middle of the stage (with a NextToken), against a baseline that
/// does only the ten KMS decryptions such a page needs. Equal ratios at 1,000 and 100,000
/// parameters mean the page cost does not grow with the store.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 20)]
public class ParameterPathBenchmarks
{
    private const string Account = "111122223333";
    private const string Region = "us-east-1";
    private const string Stage = "/app03/prod";
    private static readonly string[] Stages = ["dev", "test", "staging", "prod"];
    private readonly Principal _root = new(PrincipalType.Root, Account, $"arn:aws:iam::{Account}:root", Account, "AKIABENCHMARK0000001");
    private ICofferStore _store = null!;
    private Keyring _keyring = null!;
    private CofferServices _services = null!;
    private List<(byte[] Blob, Dictionary<string, string> Context)> _tenBlobs = [];
    private string _middleToken = "";
    private string _oneName = "";

    [Params(1_000, 100_000)]
    public int Parameters { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _store = SqliteStore.OpenMemory();
        _keyring = new Keyring();
        _keyring.Unseal(RootKey.Generate());
        _services = new CofferServices(_store, _keyring, TimeProvider.System, Account);
        var now = DateTimeOffset.UtcNow;
        var stageNames = new List<string>();
        for (var start = 0; start < Parameters; start += 1000)
        {
            var batch = new List<ParameterVersion>();
            for (var i = start; i < Math.Min(start + 1000, Parameters); i++)
            {
                var name = $"/app{i % 10:D2}/{Stages[i / 10 % 4]}/svc{i / 40 % 25:D2}/key{i:D6}";
                var arn = ParameterNames.Arn(Region, Account, name);
                var blob = _services.Keys.EncryptAsync(Call("Encrypt"), ParameterService.DefaultKeyId, Encoding.UTF8.GetBytes("secret value " + i), Context(arn)).GetAwaiter().GetResult().CiphertextBlob;
                batch.Add(new ParameterVersion
                {
                    Name = name, Version = 1, Type = ParameterTypes.SecureString, Ciphertext = blob, KeyId = ParameterService.DefaultKeyId,
                    Tier = ParameterTiers.Standard, LastModifiedDate = now, LastModifiedUser = _root.Arn,
                });
                if (ParameterNames.IsUnder(name, Stage))
                {
                    stageNames.Add(name);
                }

                if (_tenBlobs.Count < 10)
                {
                    _tenBlobs.Add((blob, Context(arn)));
                }
            }

            _store.WriteAsync(s =>
            {
                foreach (var v in batch)
                {
                    s.Parameters.InsertVersion(Account, Region, v);
                    s.Parameters.Save(new Parameter { AccountId = Account, Region = Region, Current = v });
                }
            }).GetAwaiter().GetResult();
        }

        stageNames.Sort(StringComparer.Ordinal);
        _middleToken = PageToken.EncodeName(stageNames[stageNames.Count / 2]);
        _oneName = stageNames[3];
        if (FirstPage() != 10 || MiddlePage() != 10)
        {
            throw new InvalidOperationException("A page of the stage should hold 10 parameters.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _keyring.Dispose();
    }

    /// <summary>The floor: the ten decryptions a page of ten SecureStrings needs, and nothing else.</summary>
    [Benchmark(Baseline = true)]
    public int TenDecryptions()
    {
        var total = 0;
        foreach (var (blob, context) in _tenBlobs)
        {
            total += _services.Keys.DecryptAsync(Call("Decrypt"), blob, context).GetAwaiter().GetResult().Plaintext.Length;
        }

        return total;
    }

    [Benchmark]
    public int FirstPage() => Page(null);

    [Benchmark]
    public int MiddlePage() => Page(_middleToken);

    /// <summary>The hot read, for scale: one parameter with decryption.</summary>
    [Benchmark]
    public int GetParameter() =>
        _services.Parameters.GetParameterAsync(Call("GetParameter"), _oneName, true, CancellationToken.None).GetAwaiter().GetResult().Value.Length;

    private int Page(string? token) =>
        _services.Parameters.GetParametersByPathAsync(Call("GetParametersByPath"), Stage, recursive: true, [], withDecryption: true, maxResults: 10, token, CancellationToken.None)
            .GetAwaiter().GetResult().Items.Count;

    private Call Call(string operation) =>
        new(_root, Region, "ssm.amazonaws.com", operation, RequestOrigin.Internal("bench", DateTimeOffset.UtcNow));

    private static Dictionary<string, string> Context(string arn) => new() { ["PARAMETER_ARN"] = arn };
}
