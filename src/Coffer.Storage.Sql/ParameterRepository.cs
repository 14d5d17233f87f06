using System.Data.Common;
using System.Globalization;
using Coffer.Core.Parameters;
using Coffer.Storage.Sql.Documents;

namespace Coffer.Storage.Sql;

internal sealed class ParameterRepository(SqlSession session) : IParameterRepository
{
    private const string Columns = "SELECT p.account_id, p.region, p.tags, v.name, v.version, v.value, v.wrapped_value, v.doc, p.resource_policies";

    /// <summary>The current version joined to its parameter: every read of a parameter starts here.</summary>
    private readonly string _select = Columns + " FROM ssm_parameters p " + session.Dialect.CurrentVersionJoin;

    /// <summary>One level of a path. SQLite needs the ssm_parameters_parent index named (it would
    /// otherwise walk the primary key for the ORDER BY and filter on parent_path, reading every later
    /// name); PostgreSQL's planner picks it unprompted.</summary>
    private readonly string _selectOneLevel = Columns + " FROM ssm_parameters p " + session.Dialect.ParentIndexHint + session.Dialect.CurrentVersionJoin;

    public async ValueTask<Parameter?> FindAsync(string accountId, string region, string name, CancellationToken cancellationToken)
    {
        await using var reader = await session.Command(_select + " WHERE p.account_id = $a AND p.region = $r AND p.name = $n")
            .With("$a", accountId).With("$r", region).With("$n", name).ReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? MapParameter(reader) : null;
    }

    public async ValueTask<ParameterVersion?> FindVersionAsync(string accountId, string region, string name, long version, CancellationToken cancellationToken)
    {
        await using var reader = await session.Command("SELECT name, version, value, wrapped_value, doc FROM ssm_parameter_versions WHERE account_id = $a AND region = $r AND name = $n AND version = $v")
            .With("$a", accountId).With("$r", region).With("$n", name).With("$v", version).ReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? MapVersion(reader, 0) : null;
    }

    public async ValueTask<long?> FindLabelAsync(string accountId, string region, string name, string label, CancellationToken cancellationToken) =>
        await session.Command("SELECT version FROM ssm_parameter_labels WHERE account_id = $a AND region = $r AND name = $n AND label = $l")
            .With("$a", accountId).With("$r", region).With("$n", name).With("$l", label).ScalarAsync(cancellationToken) is long version ? version : null;

    public async ValueTask<IReadOnlyDictionary<string, long>> ListLabelsAsync(string accountId, string region, string name, CancellationToken cancellationToken)
    {
        await using var reader = await session.Command("SELECT label, version FROM ssm_parameter_labels WHERE account_id = $a AND region = $r AND name = $n")
            .With("$a", accountId).With("$r", region).With("$n", name).ReaderAsync(cancellationToken);
        var labels = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            labels[reader.GetString(0)] = reader.GetInt64(1);
        }

        return labels;
    }

    public async ValueTask<IReadOnlyList<ParameterVersion>> ListVersionsAsync(string accountId, string region, string name, long afterVersion, int limit, CancellationToken cancellationToken)
    {
        var labels = (await ListLabelsAsync(accountId, region, name, cancellationToken)).ToLookup(l => l.Value, l => l.Key);
        await using var reader = await session.Command("SELECT name, version, value, wrapped_value, doc FROM ssm_parameter_versions WHERE account_id = $a AND region = $r AND name = $n AND version > $after ORDER BY version LIMIT $limit")
            .With("$a", accountId).With("$r", region).With("$n", name).With("$after", afterVersion).With("$limit", limit).ReaderAsync(cancellationToken);
        var list = new List<ParameterVersion>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var version = MapVersion(reader, 0);
            list.Add(version with { Labels = [.. labels[version.Version].Order(StringComparer.Ordinal)] });
        }

        return list;
    }

    public async ValueTask<long> OldestVersionAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        (long)(await session.Command("SELECT MIN(version) FROM ssm_parameter_versions WHERE account_id = $a AND region = $r AND name = $n")
            .With("$a", accountId).With("$r", region).With("$n", name).ScalarAsync(cancellationToken))!;

    public async ValueTask SaveAsync(Parameter parameter, CancellationToken cancellationToken) =>
        await session.Command("""
            INSERT INTO ssm_parameters (account_id, region, name, parent_path, version, tier, due_at, tags, resource_policies) VALUES ($a, $r, $n, $parent, $v, $tier, $due, $tags, $policies)
            ON CONFLICT (account_id, region, name) DO UPDATE SET version = excluded.version, tier = excluded.tier, due_at = excluded.due_at, tags = excluded.tags, resource_policies = excluded.resource_policies
            """)
            .With("$a", parameter.AccountId).With("$r", parameter.Region).With("$n", parameter.Name)
            .With("$parent", ParameterNames.Parent(parameter.Name)).With("$v", parameter.Current.Version).With("$tier", parameter.Current.Tier)
            .With("$due", ParameterPolicies.NextDue(parameter.Current)?.ToUnixMs())
            .With("$tags", ParameterArrays.WriteTags(parameter.Tags))
            .With("$policies", ParameterArrays.WritePolicies(parameter.ResourcePolicies)).NonQueryAsync(cancellationToken);

    public async ValueTask InsertVersionAsync(string accountId, string region, ParameterVersion version, CancellationToken cancellationToken) =>
        await session.Command("INSERT INTO ssm_parameter_versions (account_id, region, name, version, value, wrapped_value, doc) VALUES ($a, $r, $n, $v, $value, $wrapped, $doc)")
            .With("$a", accountId).With("$r", region).With("$n", version.Name).With("$v", version.Version)
            .With("$value", version.Value).With("$wrapped", version.Ciphertext).With("$doc", VersionDoc.Write(version)).NonQueryAsync(cancellationToken);

    public async ValueTask UpdateVersionPoliciesAsync(string accountId, string region, ParameterVersion version, CancellationToken cancellationToken) =>
        await session.Command("UPDATE ssm_parameter_versions SET doc = $doc WHERE account_id = $a AND region = $r AND name = $n AND version = $v")
            .With("$a", accountId).With("$r", region).With("$n", version.Name).With("$v", version.Version).With("$doc", VersionDoc.Write(version)).NonQueryAsync(cancellationToken);

    public async ValueTask DeleteVersionAsync(string accountId, string region, string name, long version, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM ssm_parameter_versions WHERE account_id = $a AND region = $r AND name = $n AND version = $v")
            .With("$a", accountId).With("$r", region).With("$n", name).With("$v", version).NonQueryAsync(cancellationToken);

    public async ValueTask SetLabelAsync(string accountId, string region, string name, string label, long version, CancellationToken cancellationToken) =>
        await session.Command("""
            INSERT INTO ssm_parameter_labels (account_id, region, name, label, version) VALUES ($a, $r, $n, $l, $v)
            ON CONFLICT (account_id, region, name, label) DO UPDATE SET version = excluded.version
            """)
            .With("$a", accountId).With("$r", region).With("$n", name).With("$l", label).With("$v", version).NonQueryAsync(cancellationToken);

    public async ValueTask RemoveLabelAsync(string accountId, string region, string name, string label, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM ssm_parameter_labels WHERE account_id = $a AND region = $r AND name = $n AND label = $l")
            .With("$a", accountId).With("$r", region).With("$n", name).With("$l", label).NonQueryAsync(cancellationToken);

    public async ValueTask DeleteAsync(string accountId, string region, string name, CancellationToken cancellationToken)
    {
        foreach (var table in new[] { "ssm_parameter_labels", "ssm_parameter_versions", "ssm_parameters" })
        {
            await session.Command($"DELETE FROM {table} WHERE account_id = $a AND region = $r AND name = $n")
                .With("$a", accountId).With("$r", region).With("$n", name).NonQueryAsync(cancellationToken);
        }
    }

    public ValueTask<IReadOnlyList<Parameter>> ScanAsync(string accountId, string region, ParameterScope scope, string? afterName, int limit, CancellationToken cancellationToken)
    {
        // A recursive read of /app is the key range ['/app/', '/app0'): '0' follows '/' in byte order.
        // A name without a slash (x) is the single-level /x: reads of / find it too (issue 13).
        var cmd = scope.Kind switch
        {
            ParameterScopeKind.OneLevel when scope.Path == "/" => session.Command(_selectOneLevel + " WHERE p.account_id = $a AND p.region = $r AND p.parent_path IN ('/', '') AND p.name > $after ORDER BY p.name LIMIT $limit"),
            ParameterScopeKind.OneLevel => session.Command(_selectOneLevel + " WHERE p.account_id = $a AND p.region = $r AND p.parent_path = $path AND p.name > $after ORDER BY p.name LIMIT $limit")
                .With("$path", scope.Path),
            ParameterScopeKind.Recursive when scope.Path != "/" => session.Command(_select + " WHERE p.account_id = $a AND p.region = $r AND p.name > $after AND p.name < $end ORDER BY p.name LIMIT $limit")
                .With("$end", scope.Path + "0"),
            _ => session.Command(_select + " WHERE p.account_id = $a AND p.region = $r AND p.name > $after ORDER BY p.name LIMIT $limit"),
        };
        var start = scope.Kind == ParameterScopeKind.Recursive && scope.Path != "/" ? scope.Path + "/" : "";
        var after = afterName is null || string.CompareOrdinal(afterName, start) < 0 ? start : afterName;
        cmd.With("$a", accountId).With("$r", region).With("$after", after).With("$limit", limit);
        return ReadParametersAsync(cmd, cancellationToken);
    }

    /// <summary>Reads the tier's count, which triggers keep with every insert, delete and change of
    /// tier (migration 0017): a new parameter's quota check costs one row however large the store.</summary>
    public async ValueTask<long> CountInTierAsync(string accountId, string region, string tier, CancellationToken cancellationToken) =>
        Convert.ToInt64(await session.Command("SELECT COALESCE((SELECT count FROM ssm_parameter_counts WHERE account_id = $a AND region = $r AND tier = $tier), 0)")
            .With("$a", accountId).With("$r", region).With("$tier", tier).ScalarAsync(cancellationToken), CultureInfo.InvariantCulture);

    public ValueTask<IReadOnlyList<Parameter>> FindDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        ReadParametersAsync(session.Command(_select + " WHERE p.due_at IS NOT NULL AND p.due_at <= $now ORDER BY p.due_at LIMIT $limit")
            .With("$now", now.ToUnixMs()).With("$limit", limit), cancellationToken);

    private static async ValueTask<IReadOnlyList<Parameter>> ReadParametersAsync(DbCommand cmd, CancellationToken cancellationToken)
    {
        await using var reader = await cmd.ReaderAsync(cancellationToken);
        var list = new List<Parameter>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(MapParameter(reader));
        }

        return list;
    }

    private static Parameter MapParameter(DbDataReader r) => new()
    {
        AccountId = r.GetString(0),
        Region = r.GetString(1),
        Tags = ParameterArrays.ReadTags(r.GetString(2)),
        Current = MapVersion(r, 3),
        ResourcePolicies = ParameterArrays.ReadPolicies(r.GetNullableString(8)),
    };

    private static ParameterVersion MapVersion(DbDataReader r, int first) => VersionDoc.Read(
        r.GetString(first + 4), r.GetString(first), r.GetInt64(first + 1), r.GetNullableString(first + 2), r.GetNullableBytes(first + 3));
}
