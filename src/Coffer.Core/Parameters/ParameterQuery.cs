namespace Coffer.Core.Parameters;

/// <summary>
/// The filters of GetParametersByPath and DescribeParameters (ParameterStringFilter), checked as
/// AWS checks them and compiled once into a scope (for Path) and predicates over a parameter.
/// </summary>
public sealed class ParameterQuery
{
    private static readonly string[] ByPathKeys = ["Type", "KeyId", "Label"];
    private static readonly string[] DescribeKeys = ["Name", "Type", "KeyId", "Path", "Tier", "DataType", "tag:"];
    private readonly List<Func<Parameter, bool>> _predicates = [];

    private ParameterQuery(ParameterScope scope) => Scope = scope;

    public ParameterScope Scope { get; private set; }

    /// <summary>GetParametersByPath's Label filter: the label whose version each result shows.</summary>
    public string? Label { get; private set; }

    /// <summary>A single Name BeginsWith value: the names it matches are one range of the name
    /// order, so a scan can start at it and stop after it (a search as you type reads only its range).</summary>
    public string? NamePrefix { get; private set; }

    public bool Matches(Parameter parameter) => _predicates.TrueForAll(p => p(parameter));

    public static ParameterQuery ForPath(string path, bool recursive, IReadOnlyList<ParameterFilter> filters)
    {
        var query = new ParameterQuery(ParameterScope.All);
        query.AddPaths([ParameterNames.ValidatePath(path)], recursive);
        foreach (var filter in Checked(filters))
        {
            if (!ByPathKeys.Contains(filter.Key))
            {
                throw SsmErrors.InvalidFilterKey($"The following filter key is not valid: {filter.Key}. Valid filter keys include: [Type, KeyId, Label].");
            }

            var option = filter.Option ?? "Equals";
            if (option is not ("Equals" or "BeginsWith") || (filter.Key == "Label" && option != "Equals"))
            {
                throw SsmErrors.InvalidFilterOption($"The following filter option is not valid: {option}. Valid options include: [{(filter.Key == "Label" ? "Equals" : "Equals, BeginsWith")}].");
            }

            if (filter.Key == "Label")
            {
                if (filter.Values.Count != 1)
                {
                    throw SsmErrors.InvalidFilterValue("The Label filter takes exactly one label.");
                }

                query.Label = filter.Values[0];
                continue;
            }

            query.Add(filter, option);
        }

        return query;
    }

    public static ParameterQuery ForDescribe(IReadOnlyList<ParameterFilter> filters)
    {
        var query = new ParameterQuery(ParameterScope.All);
        foreach (var filter in Checked(filters))
        {
            var key = filter.Key.StartsWith("tag:", StringComparison.Ordinal) ? "tag:" : filter.Key;
            if (filter.Key == "Label")
            {
                // AWS's text (pinned in moto's SSM tests, test_describe_parameters_invalid_parameter_filters).
                throw SsmErrors.InvalidFilterKey("The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier].");
            }

            if (!DescribeKeys.Contains(key) || filter.Key == "tag:")
            {
                throw SsmErrors.InvalidFilterKey($"The following filter key is not valid: {filter.Key}. Valid filter keys include: [Name, Type, KeyId, Path, Tier, DataType, tag:<key>].");
            }

            if (key == "Path")
            {
                var pathOption = filter.Option ?? "OneLevel";
                if (pathOption is not ("OneLevel" or "Recursive"))
                {
                    throw SsmErrors.InvalidFilterOption($"The following filter option is not valid: {pathOption}. Valid options include: [Recursive, OneLevel].");
                }

                if (filter.Values.FirstOrDefault(v => !v.StartsWith('/') || v.Contains("//", StringComparison.Ordinal)) is not null)
                {
                    throw SsmErrors.Validation(InvalidPathText);
                }

                if (filter.Values.Any(v => v.TrimStart('/').StartsWith("aws", StringComparison.OrdinalIgnoreCase) || v.TrimStart('/').StartsWith("ssm", StringComparison.OrdinalIgnoreCase)))
                {
                    throw SsmErrors.Validation("Filters for common parameters can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). When using global parameters, please specify within a global namespace.");
                }

                query.AddPaths([.. filter.Values.Select(ParameterNames.ValidatePath)], pathOption == "Recursive");
                continue;
            }

            var option = filter.Option ?? "Equals";
            if (option is not ("Equals" or "BeginsWith") && !(key == "Name" && option == "Contains"))
            {
                throw SsmErrors.InvalidFilterOption($"The following filter option is not valid: {option}. Valid options include: [Equals, BeginsWith{(key == "Name" ? ", Contains" : "")}].");
            }

            query.Add(filter, option);
            if (filter.Key == "Name" && option == "BeginsWith" && filter.Values is [{ Length: > 0 } prefix])
            {
                query.NamePrefix = prefix;
            }
        }

        return query;
    }

    /// <summary>AWS's text for a Path filter value that is not a path (moto's SSM tests pin it for "/###", "//" and "test").</summary>
    private const string InvalidPathText =
        "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\". "
        + "It can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). "
        + "It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). "
        + "Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol \"/\". "
        + "Valid example: /get/parameters2-/by1./path0_.";

    private static IReadOnlyList<ParameterFilter> Checked(IReadOnlyList<ParameterFilter> filters)
    {
        if (filters.GroupBy(f => f.Key).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw SsmErrors.Validation($"The following filter is duplicated in the request: {duplicate.Key}. A request can contain only one occurrence of a specific filter.");
        }

        foreach (var filter in filters)
        {
            if (filter.Values.Count == 0 && !filter.Key.StartsWith("tag:", StringComparison.Ordinal))
            {
                // AWS's text, spacing and all (moto's SSM tests pin it).
                throw SsmErrors.InvalidFilterValue($"The following filter values are missing : null for filter key {filter.Key}.");
            }

            var allowed = filter.Key switch
            {
                "Type" => new[] { ParameterTypes.String, ParameterTypes.StringList, ParameterTypes.SecureString },
                "Tier" => [ParameterTiers.Standard, ParameterTiers.Advanced, ParameterTiers.IntelligentTiering],
                "DataType" => ["text", "aws:ec2:image", "aws:ssm:integration"],
                _ => null,
            };
            if (allowed is not null && filter.Values.FirstOrDefault(v => !allowed.Contains(v)) is { } bad)
            {
                throw SsmErrors.InvalidFilterValue($"The following filter value is not valid: {bad}. Valid values include: [{string.Join(", ", allowed)}]");
            }
        }

        return filters;
    }

    /// <summary>A Path filter: one path is a scope the store reads as a range; several (ORed, issue 13) a predicate over every name.</summary>
    private void AddPaths(IReadOnlyList<string> paths, bool recursive)
    {
        if (paths.Count == 1)
        {
            Scope = recursive && paths[0] == "/" ? ParameterScope.All : new ParameterScope(recursive ? ParameterScopeKind.Recursive : ParameterScopeKind.OneLevel, paths[0]);
            return;
        }

        _predicates.Add(recursive
            ? p => paths.Any(path => ParameterNames.IsUnder(p.Name, path))
            : p => paths.Any(path => ParameterNames.IsDirectlyIn(p.Name, path)));
    }

    private void Add(ParameterFilter filter, string option)
    {
        Func<Parameter, string?> field = filter.Key switch
        {
            "Name" => p => p.Name,
            "Type" => p => p.Current.Type,
            "KeyId" => p => p.Current.KeyId,
            "Tier" => p => p.Current.Tier,
            "DataType" => p => p.Current.DataType,
            _ => p => p.Tags.FirstOrDefault(t => t.Key == filter.Key["tag:".Length..])?.Value,
        };
        if (filter.Key.StartsWith("tag:", StringComparison.Ordinal) && filter.Values.Count == 0)
        {
            _predicates.Add(p => field(p) is not null);
            return;
        }

        var values = filter.Values;
        _predicates.Add(option switch
        {
            "BeginsWith" => p => field(p) is { } v && values.Any(x => v.StartsWith(x, StringComparison.Ordinal)),
            "Contains" => p => field(p) is { } v && values.Any(x => v.Contains(x, StringComparison.Ordinal)),
            _ => p => field(p) is { } v && values.Contains(v),
        });
    }
}
