using Coffer.Core.Access;
using Coffer.Core.Storage;

namespace Coffer.Core.Parameters;

public sealed partial class ParameterService
{
    private const int ScanBatch = 64;

    /// <summary>The actions that read a parameter: a caller allowed any of them on a parameter may see it listed.</summary>
    private static readonly string[] ReadActions = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"];

    /// <summary>The fewest rows a scan asks for at once, so that selective filters do not make it read row by row.</summary>
    private const int MinScanBatch = 16;

    /// <summary>How many rows one page may look at before it returns what it has with a NextToken:
    /// with selective filters a page may hold fewer items, as in AWS, but its cost stays bounded.</summary>
    private const int ScanBudget = 1000;

    /// <summary>GetParametersByPath: a stage read as a whole, in name order, ten at a time. Each page
    /// is a keyset range scan on an index, so its cost does not grow with the number of parameters.</summary>
    public async Task<ParameterPage<ParameterValue>> GetParametersByPathAsync(Call call, string path, bool recursive, IReadOnlyList<ParameterFilter> filters, bool withDecryption, int? maxResults, string? nextToken, CancellationToken ct)
    {
        var query = ParameterQuery.ForPath(path, recursive, filters);
        const string action = "ssm:GetParametersByPath";
        await authorizer.AuthorizeAsync(call, new AccessRequest(action, PathArn(call, query.Scope.Path)), cancellationToken: ct);
        var labelled = query.Label is { } label ? new ParameterReference("", [], null, label) { Selector = ":" + label } : null;
        var page = await ScanAsync(call, query, [action], maxResults ?? 10, nextToken, async (s, p, ct) =>
            labelled is null ? (p.Current, null) : (await SelectAsync(s, p, labelled, ct), labelled.Selector), ct);

        var values = new List<ParameterValue>(page.Items.Count);
        foreach (var (parameter, version, selector) in page.Items)
        {
            values.Add(new ParameterValue(version, parameter.Arn, await ValueOfAsync(call, parameter.Arn, version, withDecryption, ct), selector));
        }

        return new ParameterPage<ParameterValue>(values, page.NextToken);
    }

    /// <summary>DescribeParameters: metadata only, never a value.</summary>
    public async Task<ParameterPage<Parameter>> DescribeParametersAsync(Call call, IReadOnlyList<ParameterFilter> filters, int? maxResults, string? nextToken, bool shared, CancellationToken ct)
    {
        var query = ParameterQuery.ForDescribe(filters);
        const string action = "ssm:DescribeParameters";
        await authorizer.AuthorizeAsync(call, new AccessRequest(action, "*"), cancellationToken: ct);
        if (shared)
        {
            // Nothing is shared with this account: Coffer has no resource shares.
            return new ParameterPage<Parameter>([], null);
        }

        // Listed only where the caller may read the parameter itself: ssm:DescribeParameters is
        // granted on "*", and must not show every name and its metadata to whoever holds it.
        var page = await ScanAsync(call, query, ReadActions, maxResults ?? 10, nextToken, static (_, p, _) => new ValueTask<(ParameterVersion?, string?)>((p.Current, null)), ct);
        return new ParameterPage<Parameter>([.. page.Items.Select(i => i.Parameter)], page.NextToken);
    }

    private async ValueTask<bool> MayAnyAsync(Call call, string[] actions, string arn, CancellationToken ct)
    {
        foreach (var action in actions)
        {
            if (await authorizer.IsAllowedAsync(call, new AccessRequest(action, arn), cancellationToken: ct))
            {
                return true;
            }
        }

        return false;
    }

    private static string PathArn(Call call, string path) =>
        Aws.Arn.For("ssm", call.Region, call.AccountId, "parameter" + (path == "/" ? "/" : path)).ToString();

    /// <summary>
    /// One page of a keyset scan: rows in name order after the token's name, filtered by the query,
    /// the selection and what the caller may do (any of <paramref name="actions"/>), until the page is full or the scan budget is spent.
    /// </summary>
    private ValueTask<ParameterPage<(Parameter Parameter, ParameterVersion Version, string? Selector)>> ScanAsync(
        Call call, ParameterQuery query, string[] actions, int max, string? nextToken,
        Func<IStoreSession, Parameter, CancellationToken, ValueTask<(ParameterVersion? Version, string? Selector)>> select, CancellationToken ct)
    {
        var after = PageToken.DecodeName(nextToken, query.Scope);
        var prefix = query.NamePrefix;
        if (prefix is not null && (after is null || string.CompareOrdinal(after, prefix) < 0))
        {
            // Every name that starts with the prefix sorts after the prefix less its last character.
            after = prefix[..^1];
        }

        return store.ReadAsync<ParameterPage<(Parameter, ParameterVersion, string?)>>(async (s, ct) =>
        {
            var items = new List<(Parameter, ParameterVersion, string?)>();
            var last = after;
            var scanned = 0;
            while (true)
            {
                var requested = Math.Clamp(max - items.Count + 1, MinScanBatch, ScanBatch);
                var batch = await s.Parameters.ScanAsync(call.AccountId, call.Region, query.Scope, last, requested, ct);
                for (var i = 0; i < batch.Count; i++)
                {
                    if (items.Count == max || scanned == ScanBudget)
                    {
                        // Rows remain after the page: continue from the last one looked at.
                        return new ParameterPage<(Parameter, ParameterVersion, string?)>(items, PageToken.EncodeName(last!));
                    }

                    var p = batch[i];
                    if (prefix is not null && !p.Name.StartsWith(prefix, StringComparison.Ordinal) && string.CompareOrdinal(p.Name, prefix) > 0)
                    {
                        // Past the prefix's range: no later name can match.
                        return new ParameterPage<(Parameter, ParameterVersion, string?)>(items, null);
                    }

                    last = p.Name;
                    scanned++;
                    if (query.Matches(p) && await select(s, p, ct) is ({ } version, var selector) && await MayAnyAsync(call, actions, p.Arn, ct))
                    {
                        items.Add((p, version, selector));
                    }
                }

                if (batch.Count < requested)
                {
                    return new ParameterPage<(Parameter, ParameterVersion, string?)>(items, null);
                }
            }
        }, ct);
    }
}
