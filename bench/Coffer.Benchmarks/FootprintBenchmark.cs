using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Coffer.Server.Hosting;

namespace Coffer.Benchmarks;

/// <summary>
/// Issue 11's footprint targets, on a data directory of issue 11's size (100,000 parameters, 10,000
/// secrets): how fast a server on it answers its first signed request, and how much memory it holds
/// under a read load. Usage:
///   footprint seed   --data-dir DIR [--params 100000] [--secrets 10000] [--reads 100000] [--secure-every 4]
///   footprint start  --data-dir DIR [--runs 5] [--exe "PATH [ARGS]"]
///   footprint memory --data-dir DIR [--seconds 10] [--minutes 10] [--sample 5] [--distinct 20000] [--exe "PATH [ARGS]"]
/// <c>seed</c> writes the directory through the server's own request pipeline (so it holds what the
/// server writes, audit log included) and a fixture file beside it (DIR.fixture.json: the root
/// credentials and what to read). <c>start</c> and <c>memory</c> run the server as a separate process,
/// by default the Release build of the <c>coffer</c> command (src/Coffer.Cli/bin/Release/net10.0/coffer).
/// </summary>
public static partial class FootprintBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var what = args.Length > 0 ? args[0] : "";
        var dataDir = Text(args, "--data-dir") ?? throw new ArgumentException("--data-dir DIR is required");
        dataDir = Path.GetFullPath(dataDir);
        switch (what)
        {
            case "seed":
                await SeedAsync(dataDir, LoadBenchmark.Option(args, "--params", 100_000), LoadBenchmark.Option(args, "--secrets", 10_000),
                    LoadBenchmark.Option(args, "--reads", 100_000), LoadBenchmark.Option(args, "--secure-every", 4), LoadBenchmark.Option(args, "--existing-params", 0));
                return 0;
            case "start":
                await StartAsync(dataDir, Executable(args), LoadBenchmark.Option(args, "--runs", 5));
                return 0;
            case "memory":
                await MemoryAsync(dataDir, Executable(args), LoadBenchmark.Option(args, "--seconds", 10), LoadBenchmark.Option(args, "--minutes", 10),
                    LoadBenchmark.Option(args, "--sample", 5), LoadBenchmark.Option(args, "--distinct", 20_000));
                return 0;
            default:
                Console.Error.WriteLine("footprint seed|start|memory --data-dir DIR (see FootprintBenchmark.cs)");
                return 2;
        }
    }

    internal static string? Text(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    /// <summary>The server command: --exe, else the coffer command's Release build in this repository.</summary>
    private static string[] Executable(string[] args)
    {
        if (Text(args, "--exe") is { } exe)
        {
            return exe.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Coffer.slnx")))
        {
            dir = dir.Parent;
        }

        var coffer = Path.Combine(dir?.FullName ?? ".", "src/Coffer.Cli/bin/Release/net10.0/coffer");
        return File.Exists(coffer) ? [coffer] : throw new FileNotFoundException($"{coffer} is missing: dotnet build -c Release src/Coffer.Cli, or give --exe");
    }

    /// <summary>What seeding made, for the other commands: who may call, and what to read.</summary>
    internal sealed record Fixture(string AccountId, string AccessKeyId, string SecretAccessKey, int Parameters, int Secrets, int SecureEvery, string Blob)
    {
        public RootCredentials Root => new(AccountId, AccessKeyId, SecretAccessKey);

        public static string PathFor(string dataDir) => dataDir.TrimEnd('/') + ".fixture.json";

        public static Fixture Read(string dataDir) =>
            JsonSerializer.Deserialize<Fixture>(File.ReadAllText(PathFor(dataDir))) ?? throw new InvalidDataException(PathFor(dataDir));

        public void Write(string dataDir) => File.WriteAllText(PathFor(dataDir), JsonSerializer.Serialize(this));

        /// <summary>The i-th SecureString parameter.</summary>
        public string SecureParameter(int i) => ParameterName(i * SecureEvery % Parameters);
    }

    public static string ParameterName(int i) => string.Create(CultureInfo.InvariantCulture, $"/app/stage{i % 10}/service{i / 1000 % 100}/p{i:D6}");

    public static string SecretName(int i) => string.Create(CultureInfo.InvariantCulture, $"stage{i % 10}/service{i / 100 % 100}/s{i:D5}");

    /// <summary>A secret's value as applications keep them: a small JSON document, and one in a hundred a PEM-sized 4 KB.</summary>
    private static string SecretValue(int i) => i % 100 == 0
        ? new string('k', 4096)
        : string.Create(CultureInfo.InvariantCulture, $"{{\\\"username\\\":\\\"svc{i:D5}\\\",\\\"password\\\":\\\"{Convert.ToHexString(BitConverter.GetBytes(i * 2654435761L))}{i:D8}\\\",\\\"host\\\":\\\"db{i % 7}.internal\\\",\\\"port\\\":5432}}");

    private static string ParameterValue(int i) => string.Create(CultureInfo.InvariantCulture, $"value-{i:D6}-{new string('x', 24 + i % 40)}");

    /// <summary>SSM's quota of standard parameters per account and region: the rest are advanced, as on AWS.</summary>
    private const int StandardQuota = Coffer.Core.Parameters.ParameterService.DefaultStandardQuota;

    /// <summary>Seeds <paramref name="dataDir"/>. With <paramref name="existing"/> above 0 the directory is one
    /// whose seed was stopped after that many parameters: it is not initialized again (the root
    /// credentials are read from it), and seeding goes on from parameter <paramref name="existing"/>.</summary>
    private static async Task SeedAsync(string dataDir, int parameters, int secrets, int reads, int secureEvery, int existing)
    {
        var started = Stopwatch.StartNew();
        var root = existing > 0 ? ReadRootCredentials(dataDir) : await DataDirectory.InitializeAsync(dataDir, null, null);
        var options = new CofferServerOptions { Urls = "http://127.0.0.1:0", DataDir = dataDir, ScheduleInterval = Timeout.InfiniteTimeSpan };
        string blob;
        await using (var server = await InProcessServer.StartAsync(options))
        {
            var keyId = Field(await CallAsync(server, root, "kms", "TrentService.CreateKey", "{\"Description\":\"bench\"}"), "\"KeyId\":\"");
            blob = Field(await CallAsync(server, root, "kms", "TrentService.Encrypt",
                $"{{\"KeyId\":\"{keyId}\",\"Plaintext\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes("Top Secret"))}\"}}"), "\"CiphertextBlob\":\"");
            await ParallelAsync("parameters", Math.Max(0, parameters - existing), j => j + existing, i => (root, "ssm", "AmazonSSM.PutParameter",
                $"{{\"Name\":\"{ParameterName(i)}\",\"Type\":\"{(i % secureEvery == 0 ? "SecureString" : "String")}\",\"Value\":\"{ParameterValue(i)}\"{(i < StandardQuota ? "" : ",\"Tier\":\"Advanced\"")}}}"), server);
            await ParallelAsync("secrets", secrets, j => j, i => (root, "secretsmanager", "secretsmanager.CreateSecret",
                $"{{\"Name\":\"{SecretName(i)}\",\"SecretString\":\"{SecretValue(i)}\"}}"), server);
            // Written now, so that a seed stopped during the reads below leaves a usable directory.
            new Fixture(root.AccountId, root.AccessKeyId, root.SecretAccessKey, parameters, secrets, secureEvery, blob).Write(dataDir);
            // The log of a store in use holds reads too: audited GetParameter calls over the whole set.
            await ParallelAsync("reads", reads, j => j, i => (root, "ssm", "AmazonSSM.GetParameter",
                $"{{\"Name\":\"{ParameterName((int)((uint)(i * 2654435761L) % (uint)parameters))}\",\"WithDecryption\":true}}"), server);
        }

        var size = Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seeded {dataDir}: {parameters} parameters (one in {secureEvery} SecureString, {Math.Min(parameters, StandardQuota)} standard, the rest advanced), {secrets} secrets, {reads} audited reads, in {started.Elapsed.TotalSeconds:F0} s; {size / 1048576.0:F1} MiB on disk; fixture {Fixture.PathFor(dataDir)}"));
    }

    /// <summary>The root credentials <c>coffer init</c> wrote into the directory (an AWS credentials file).</summary>
    private static RootCredentials ReadRootCredentials(string dataDir)
    {
        var lines = File.ReadAllLines(Path.Combine(dataDir, DataDirectory.CredentialsFileName));
        string Value(string key) => lines.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split('=', 2)[1].Trim();
        var account = lines[0].Split(' ').Select(w => w.TrimEnd('.')).First(w => w.Length == 12 && w.All(char.IsAsciiDigit));
        return new RootCredentials(account, Value("aws_access_key_id"), Value("aws_secret_access_key"));
    }

    private static async Task<string> CallAsync(InProcessServer server, RootCredentials root, string service, string target, string body)
    {
        using var signed = LoadBenchmark.Signed("http://" + InProcessServer.Host, root, target, body, service);
        var prepared = InProcessServer.Prepare(signed);
        await server.SendAsync(prepared);
        var answer = Encoding.UTF8.GetString(prepared.Answer);
        return prepared.Status == 200 ? answer : throw new InvalidOperationException($"{target} failed: {prepared.Status} {answer}");
    }

    private static string Field(string json, string field)
    {
        var start = json.IndexOf(field, StringComparison.Ordinal) + field.Length;
        return json[start..json.IndexOf('"', start)];
    }

    private static async Task ParallelAsync(string what, int count, Func<int, int> index, Func<int, (RootCredentials Root, string Service, string Target, string Body)> make, InProcessServer server)
    {
        var started = Stopwatch.StartNew();
        var done = 0;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            var (root, service, target, body) = make(index(i));
            await CallAsync(server, root, service, target, body);
            if (Interlocked.Increment(ref done) % 20_000 == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what}: {done} of {count}, {done / started.Elapsed.TotalSeconds:F0}/s"));
            }
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what}: {count} in {started.Elapsed.TotalSeconds:F1} s"));
    }
}
