using Coffer.Core.Access;

namespace Coffer.Core.Parameters;

public sealed partial class ParameterService
{
    /// <summary>
    /// The folders directly under a path (<c>/app/</c> holds <c>/app/dev/</c> and <c>/app/prod/</c>),
    /// for the console's tree: DescribeParameters lists names, and finding the second folder of a
    /// path whose first holds a thousand parameters would read all thousand. Here each folder costs
    /// one seek: once a parameter the caller may read shows the folder, the scan jumps past it.
    /// A folder is listed only if it holds a parameter the caller may read, as DescribeParameters
    /// lists only those; looking for one is bounded by the same scan budget, with a NextToken.
    /// </summary>
    public async Task<ParameterPage<string>> ListFoldersAsync(Call call, string path, int? maxResults, string? nextToken, CancellationToken ct)
    {
        path = ParameterNames.ValidatePath(path);
        await authorizer.AuthorizeAsync(call, new AccessRequest("ssm:DescribeParameters", "*"), cancellationToken: ct);
        var max = Math.Clamp(maxResults ?? 50, 1, 50);
        var scope = path == "/" ? ParameterScope.All : new ParameterScope(ParameterScopeKind.Recursive, path);
        var under = path == "/" ? "/" : path + "/";

        // A token names the last folder listed (ending in '/') or the last name looked at.
        var token = PageToken.DecodeName(nextToken, scope);
        var last = token is not null && token.EndsWith('/') ? Past(token) : token;
        return await store.ReadAsync(async (s, ct) =>
        {
            var folders = new List<string>();
            var scanned = 0;
            while (true)
            {
                var batch = await s.Parameters.ScanAsync(call.AccountId, call.Region, scope, last, ScanBatch, ct);
                string? found = null;
                foreach (var p in batch)
                {
                    if (scanned == ScanBudget)
                    {
                        return new ParameterPage<string>(folders, PageToken.EncodeName(last!.EndsWith('~') ? last[..^1] : last));
                    }

                    scanned++;
                    last = p.Name;
                    var slash = p.Name.StartsWith(under, StringComparison.Ordinal) ? p.Name.IndexOf('/', under.Length) : -1;
                    if (slash >= 0 && await MayAnyAsync(call, ReadActions, p.Arn, ct))
                    {
                        found = p.Name[..(slash + 1)];
                        break;
                    }
                }

                if (found is not null)
                {
                    folders.Add(found);
                    last = Past(found);
                    if (folders.Count == max)
                    {
                        return new ParameterPage<string>(folders, PageToken.EncodeName(found));
                    }

                    continue;
                }

                if (batch.Count < ScanBatch)
                {
                    return new ParameterPage<string>(folders, null);
                }
            }
        }, ct);
    }

    /// <summary>After every name in a folder: '~' sorts after every character a name may hold.</summary>
    private static string Past(string folder) => folder + "~";
}
