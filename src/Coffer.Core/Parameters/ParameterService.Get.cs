namespace Coffer.Core.Parameters;

public sealed record GetParametersResult(IReadOnlyList<ParameterValue> Parameters, IReadOnlyList<string> InvalidParameters);

public sealed partial class ParameterService
{
    private const int MaxHistoryResults = 50;

    /// <summary>GetParameter: the hot read. One indexed lookup, then one decryption for a SecureString.</summary>
    public async Task<ParameterValue> GetParameterAsync(Call call, string name, bool withDecryption, CancellationToken ct)
    {
        if (IsSecretReference(name))
        {
            return await GetSecretReferenceAsync(call, "ssm:GetParameter", name, withDecryption, ct);
        }

        var reference = ParameterNames.ParseReference(name, call.Region, call.AccountId);
        // A hit completes at once: the load is static and its state a tuple, so a hit allocates nothing here.
        var (parameter, version) = await _gets.GetAsync(
            (call.AccountId, call.Region, name), (call, reference),
            static async (s, x, ct) => await FindAsync(s, x.call, x.reference, ct) is { } p ? (p, await SelectAsync(s, p, x.reference, ct)) : (null, null),
            ct);
        if (parameter is null)
        {
            await AuthorizeAsync(call, "ssm:GetParameter", Arn(call, reference.Name), ct);
            throw SsmErrors.ParameterNotFound(reference.Name);
        }

        // Authorized once the parameter is read, so that its resource policies (sharing) take part.
        await AuthorizeReadAsync(call, "ssm:GetParameter", parameter, ct);

        if (version is null)
        {
            throw SsmErrors.VersionNotFound(parameter.Name, reference.Selector![1..]);
        }

        return new ParameterValue(version, parameter.Arn, await ValueOfAsync(call, parameter.Arn, version, withDecryption, ct), reference.Selector);
    }

    /// <summary>GetParameters: up to ten names (with selectors or as ARNs); the ones not found come back in InvalidParameters.</summary>
    public async Task<GetParametersResult> GetParametersAsync(Call call, IReadOnlyList<string> names, bool withDecryption, CancellationToken ct)
    {
        var references = new List<(string Text, ParameterReference? Reference)>();
        var secretReferences = new List<ParameterValue>();
        var invalid = new List<string>();
        foreach (var text in names.Distinct())
        {
            if (IsSecretReference(text))
            {
                try
                {
                    secretReferences.Add(await GetSecretReferenceAsync(call, "ssm:GetParameters", text, withDecryption, ct));
                }
                catch (CofferException e) when (e.Code == SsmErrors.Codes.ParameterNotFound)
                {
                    invalid.Add(text);
                }

                continue;
            }

            ParameterReference? reference = null;
            try
            {
                reference = ParameterNames.ParseReference(text, call.Region, call.AccountId);
            }
            catch (CofferException e) when (e.Code == ErrorCodes.Validation)
            {
                // A malformed name names nothing: AWS lists it as invalid.
            }

            references.Add((text, reference));
        }

        var found = await store.ReadAsync(
            async (s, ct) =>
            {
                var list = new List<(string Text, Parameter? Parameter, ParameterVersion? Version, string? Selector)>(references.Count);
                foreach (var r in references)
                {
                    list.Add(r.Reference is { } reference && await FindAsync(s, call, reference, ct) is { } p
                        ? (r.Text, p, await SelectAsync(s, p, reference, ct), reference.Selector)
                        : (r.Text, null, null, null));
                }

                return list;
            },
            ct);

        // Authorized once read, so that resource policies (sharing) take part; a name not found is
        // authorized by its ARN, so a denied caller learns nothing of which names exist.
        foreach (var (r, (_, parameter, _, _)) in references.Zip(found))
        {
            if (parameter is not null)
            {
                await AuthorizeReadAsync(call, "ssm:GetParameters", parameter, ct);
            }
            else if (r.Reference is { } reference)
            {
                await AuthorizeAsync(call, "ssm:GetParameters", Arn(call, reference.Name), ct);
            }
        }

        var values = new List<ParameterValue>(secretReferences);
        foreach (var (text, parameter, version, selector) in found)
        {
            if (parameter is null || version is null)
            {
                invalid.Add(text);
                continue;
            }

            values.Add(new ParameterValue(version, parameter.Arn, await ValueOfAsync(call, parameter.Arn, version, withDecryption, ct), selector));
        }

        return new GetParametersResult(values, invalid);
    }

    /// <summary>GetParameterHistory: every kept version, oldest first, with its labels and policies.</summary>
    public async Task<ParameterPage<ParameterValue>> GetParameterHistoryAsync(Call call, string name, bool withDecryption, int? maxResults, string? nextToken, CancellationToken ct)
    {
        var reference = ParameterNames.ParseReference(name, call.Region, call.AccountId);
        var arn = Arn(call, reference.Name);
        await AuthorizeAsync(call, "ssm:GetParameterHistory", arn, ct);
        var after = PageToken.DecodeVersion(nextToken);
        var limit = maxResults ?? MaxHistoryResults;
        var (parameter, versions) = await store.ReadAsync(
            async (s, ct) => await FindAsync(s, call, reference, ct) is { } p
                ? (p, await s.Parameters.ListVersionsAsync(p.AccountId, p.Region, p.Name, after, limit + 1, ct))
                : ((Parameter?)null, (IReadOnlyList<ParameterVersion>)[]),
            ct);
        if (parameter is null)
        {
            throw SsmErrors.ParameterNotFound(reference.Name);
        }

        var page = new List<ParameterValue>();
        foreach (var version in versions.Take(limit))
        {
            page.Add(new ParameterValue(version, parameter.Arn, await ValueOfAsync(call, parameter.Arn, version, withDecryption, ct), null));
        }

        return new ParameterPage<ParameterValue>(page, versions.Count > limit ? PageToken.EncodeVersion(page[^1].Version.Version) : null);
    }
}
