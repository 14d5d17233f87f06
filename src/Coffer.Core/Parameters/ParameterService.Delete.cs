namespace Coffer.Core.Parameters;

public sealed record DeleteParametersResult(IReadOnlyList<string> DeletedParameters, IReadOnlyList<string> InvalidParameters);

public sealed partial class ParameterService
{
    /// <summary>DeleteParameter: the parameter, every version and every label.</summary>
    public async Task DeleteParameterAsync(Call call, string name, CancellationToken ct)
    {
        name = ParameterNames.ValidateCharacters(name);
        var arn = Arn(call, name);
        await AuthorizeAsync(call, "ssm:DeleteParameter", arn, ct);
        await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            var parameter = await FindByNameAsync(s, call, name, ct) ?? throw SsmErrors.ParameterNotFound(name);
            await DeleteAsync(s, call, parameter, ct);
            return true;
        }, ct);
    }

    /// <summary>DeleteParameters: up to ten at once, in one transaction; names not found come back in InvalidParameters.</summary>
    public async Task<DeleteParametersResult> DeleteParametersAsync(Call call, IReadOnlyList<string> names, CancellationToken ct)
    {
        var checkedNames = new List<(string Text, string? Name)>();
        foreach (var text in names.Distinct())
        {
            string? name = null;
            try
            {
                name = ParameterNames.ValidateCharacters(text);
                await AuthorizeAsync(call, "ssm:DeleteParameters", Arn(call, name), ct);
            }
            catch (CofferException e) when (e.Code == ErrorCodes.Validation)
            {
                // A malformed name names nothing: AWS lists it as invalid.
            }

            checkedNames.Add((text, name));
        }

        return await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            var deleted = new List<string>();
            var invalid = new List<string>();
            foreach (var (text, name) in checkedNames)
            {
                if (name is not null && await FindByNameAsync(s, call, name, ct) is { } parameter)
                {
                    await DeleteAsync(s, call, parameter, ct);
                    deleted.Add(text);
                }
                else
                {
                    invalid.Add(text);
                }
            }

            return new DeleteParametersResult(deleted, invalid);
        }, ct);
    }

    private static async ValueTask DeleteAsync(Storage.IStoreSession s, Call call, Parameter parameter, CancellationToken ct)
    {
        await s.Parameters.DeleteAsync(parameter.AccountId, parameter.Region, parameter.Name, ct);
        await s.Events.AppendAsync(ChangeEvent(call, "Delete", parameter.Arn, parameter.Current), ct);
    }
}
