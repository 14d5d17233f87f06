namespace Coffer.Core.Parameters;

/// <summary>Which parameters a scan covers: all of an account's region, everything under a path, or one level of it.</summary>
public sealed record ParameterScope(ParameterScopeKind Kind, string Path)
{
    public static ParameterScope All { get; } = new(ParameterScopeKind.All, "/");
}

public enum ParameterScopeKind
{
    All,
    Recursive,
    OneLevel,
}

public interface IParameterRepository
{
    /// <summary>A parameter with its current version: one indexed lookup.</summary>
    ValueTask<Parameter?> FindAsync(string accountId, string region, string name, CancellationToken cancellationToken);

    ValueTask<ParameterVersion?> FindVersionAsync(string accountId, string region, string name, long version, CancellationToken cancellationToken);

    /// <summary>The version a label is on, if the label exists.</summary>
    ValueTask<long?> FindLabelAsync(string accountId, string region, string name, string label, CancellationToken cancellationToken);

    /// <summary>Every label of the parameter, with the version it is on.</summary>
    ValueTask<IReadOnlyDictionary<string, long>> ListLabelsAsync(string accountId, string region, string name, CancellationToken cancellationToken);

    /// <summary>Versions oldest first, after <paramref name="afterVersion"/>, with their labels.</summary>
    ValueTask<IReadOnlyList<ParameterVersion>> ListVersionsAsync(string accountId, string region, string name, long afterVersion, int limit, CancellationToken cancellationToken);

    ValueTask<long> OldestVersionAsync(string accountId, string region, string name, CancellationToken cancellationToken);

    /// <summary>Creates or replaces the parameter's row (its current version number, tags and when its policies are next due).</summary>
    ValueTask SaveAsync(Parameter parameter, CancellationToken cancellationToken);

    ValueTask InsertVersionAsync(string accountId, string region, ParameterVersion version, CancellationToken cancellationToken);

    /// <summary>Rewrites a version's metadata (its policies' statuses); never its value.</summary>
    ValueTask UpdateVersionPoliciesAsync(string accountId, string region, ParameterVersion version, CancellationToken cancellationToken);

    ValueTask DeleteVersionAsync(string accountId, string region, string name, long version, CancellationToken cancellationToken);

    ValueTask SetLabelAsync(string accountId, string region, string name, string label, long version, CancellationToken cancellationToken);

    ValueTask RemoveLabelAsync(string accountId, string region, string name, string label, CancellationToken cancellationToken);

    /// <summary>Deletes the parameter, every version and every label.</summary>
    ValueTask DeleteAsync(string accountId, string region, string name, CancellationToken cancellationToken);

    /// <summary>Parameters in name order after <paramref name="afterName"/>, within <paramref name="scope"/>: a keyset range scan.</summary>
    ValueTask<IReadOnlyList<Parameter>> ScanAsync(string accountId, string region, ParameterScope scope, string? afterName, int limit, CancellationToken cancellationToken);

    /// <summary>How many parameters of the account and Region have their current version in <paramref name="tier"/>.</summary>
    ValueTask<long> CountInTierAsync(string accountId, string region, string tier, CancellationToken cancellationToken);

    /// <summary>Parameters with a policy due at or before <paramref name="now"/>.</summary>
    ValueTask<IReadOnlyList<Parameter>> FindDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);
}
