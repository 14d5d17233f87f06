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
    Parameter? Find(string accountId, string region, string name);

    ParameterVersion? FindVersion(string accountId, string region, string name, long version);

    /// <summary>The version a label is on, if the label exists.</summary>
    long? FindLabel(string accountId, string region, string name, string label);

    /// <summary>Every label of the parameter, with the version it is on.</summary>
    IReadOnlyDictionary<string, long> ListLabels(string accountId, string region, string name);

    /// <summary>Versions oldest first, after <paramref name="afterVersion"/>, with their labels.</summary>
    IReadOnlyList<ParameterVersion> ListVersions(string accountId, string region, string name, long afterVersion, int limit);

    long OldestVersion(string accountId, string region, string name);

    /// <summary>Creates or replaces the parameter's row (its current version number, tags and when its policies are next due).</summary>
    void Save(Parameter parameter);

    void InsertVersion(string accountId, string region, ParameterVersion version);

    /// <summary>Rewrites a version's metadata (its policies' statuses); never its value.</summary>
    void UpdateVersionPolicies(string accountId, string region, ParameterVersion version);

    void DeleteVersion(string accountId, string region, string name, long version);

    void SetLabel(string accountId, string region, string name, string label, long version);

    void RemoveLabel(string accountId, string region, string name, string label);

    /// <summary>Deletes the parameter, every version and every label.</summary>
    void Delete(string accountId, string region, string name);

    /// <summary>Parameters in name order after <paramref name="afterName"/>, within <paramref name="scope"/>: a keyset range scan.</summary>
    IReadOnlyList<Parameter> Scan(string accountId, string region, ParameterScope scope, string? afterName, int limit);

    /// <summary>How many parameters of the account and Region have their current version in <paramref name="tier"/>.</summary>
    long CountInTier(string accountId, string region, string tier);

    /// <summary>Parameters with a policy due at or before <paramref name="now"/>.</summary>
    IReadOnlyList<Parameter> FindDue(DateTimeOffset now, int limit);
}
