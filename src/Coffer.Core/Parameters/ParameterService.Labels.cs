using System.Text.RegularExpressions;

namespace Coffer.Core.Parameters;

public sealed record LabelResult(IReadOnlyList<string> InvalidLabels, long ParameterVersion);

public sealed record UnlabelResult(IReadOnlyList<string> RemovedLabels, IReadOnlyList<string> InvalidLabels);

public sealed partial class ParameterService
{
    public const int MaxLabelsPerVersion = 10;

    /// <summary>Letters, digits, periods, hyphens and underscores; not starting with a digit, "aws" or "ssm".</summary>
    private static readonly Regex LabelPattern = new("^(?![0-9])(?![aA][wW][sS])(?![sS][sS][mM])[a-zA-Z0-9_.-]{1,100}$", RegexOptions.CultureInvariant);

    /// <summary>LabelParameterVersion: puts labels on a version (the latest by default), moving any that sit on another.
    /// Labels that break AWS's rules are not applied and come back in InvalidLabels.</summary>
    public async Task<LabelResult> LabelParameterVersionAsync(Call call, string name, long? version, IReadOnlyList<string> labels, CancellationToken ct)
    {
        name = ParameterNames.ValidateCharacters(name);
        var arn = Arn(call, name);
        await AuthorizeAsync(call, "ssm:LabelParameterVersion", arn, ct);
        var valid = labels.Where(l => LabelPattern.IsMatch(l)).Distinct().ToList();
        var invalid = labels.Where(l => !LabelPattern.IsMatch(l)).ToList();
        return await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            var parameter = await FindByNameAsync(s, call, name, ct) ?? throw SsmErrors.ParameterNotFound(name);
            var target = await FindVersionAsync(s, parameter, version ?? parameter.Current.Version, ct);
            var existing = await s.Parameters.ListLabelsAsync(call.AccountId, call.Region, name, ct);
            var onTarget = existing.Where(l => l.Value == target.Version).Select(l => l.Key).Union(valid).Count();
            if (onTarget > MaxLabelsPerVersion)
            {
                throw SsmErrors.LabelLimitExceeded();
            }

            foreach (var label in valid)
            {
                await s.Parameters.SetLabelAsync(call.AccountId, call.Region, name, label, target.Version, ct);
            }

            if (valid.Count > 0)
            {
                await s.Events.AppendAsync(ChangeEvent(call, "LabelParameterVersion", arn, target, valid), ct);
            }

            return new LabelResult(invalid, target.Version);
        }, ct);
    }

    /// <summary>UnlabelParameterVersion: removes labels from a version; labels not on it come back in InvalidLabels.</summary>
    public async Task<UnlabelResult> UnlabelParameterVersionAsync(Call call, string name, long version, IReadOnlyList<string> labels, CancellationToken ct)
    {
        name = ParameterNames.ValidateCharacters(name);
        var arn = Arn(call, name);
        await AuthorizeAsync(call, "ssm:UnlabelParameterVersion", arn, ct);
        return await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            var parameter = await FindByNameAsync(s, call, name, ct) ?? throw SsmErrors.ParameterNotFound(name);
            var target = await FindVersionAsync(s, parameter, version, ct);
            var existing = await s.Parameters.ListLabelsAsync(call.AccountId, call.Region, name, ct);
            var removed = labels.Distinct().Where(l => existing.TryGetValue(l, out var v) && v == version).ToList();
            foreach (var label in removed)
            {
                await s.Parameters.RemoveLabelAsync(call.AccountId, call.Region, name, label, ct);
            }

            if (removed.Count > 0)
            {
                await s.Events.AppendAsync(ChangeEvent(call, "UnlabelParameterVersion", arn, target, removed), ct);
            }

            return new UnlabelResult(removed, [.. labels.Except(removed)]);
        }, ct);
    }

    private static async ValueTask<ParameterVersion> FindVersionAsync(Storage.IStoreSession s, Parameter parameter, long version, CancellationToken ct) =>
        await VersionOfAsync(s, parameter, version, ct)
        ?? throw SsmErrors.VersionNotFound(parameter.Name, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
