using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Coffer.Cli.Commands;

/// <summary>One parameter of a stage, named relative to the stage's path.</summary>
internal sealed record StageEntry(string Key, string Name, string Type, string Value, long Version)
{
    /// <summary>No value in it: entries get printed.</summary>
    public override string ToString() => $"{Key} ({Type}, v{Version})";
}

/// <summary>Reads Parameter Store through the AWS SDK for .NET, as any client would.</summary>
internal static class ParameterStage
{
    /// <summary>A client for the Coffer server at <paramref name="url"/>, with the standard AWS credential chain and region.</summary>
    public static AmazonSimpleSystemsManagementClient Client(string url)
    {
        var region = FallbackRegionFactory.GetRegionEndpoint()?.SystemName ?? "us-east-1";
        return new AmazonSimpleSystemsManagementClient(new AmazonSimpleSystemsManagementConfig { ServiceURL = url, AuthenticationRegion = region, HttpClientFactory = new CofferHttp.Factory() });
    }

    /// <summary>Every parameter under <paramref name="path"/>, at any depth, keyed by its name relative to the path.</summary>
    public static async Task<SortedDictionary<string, StageEntry>> ReadAsync(IAmazonSimpleSystemsManagement ssm, string path, bool decrypt, CancellationToken ct)
    {
        var root = path.TrimEnd('/');
        var entries = new SortedDictionary<string, StageEntry>(StringComparer.Ordinal);
        var request = new GetParametersByPathRequest { Path = path, Recursive = true, WithDecryption = decrypt };
        do
        {
            var page = await ssm.GetParametersByPathAsync(request, ct);
            foreach (var p in page.Parameters ?? [])
            {
                var key = p.Name[(root.Length + 1)..];
                entries[key] = new StageEntry(key, p.Name, p.Type.Value, p.Value, p.Version ?? 0);
            }

            request.NextToken = page.NextToken;
        }
        while (request.NextToken is not null);

        return entries;
    }
}
