namespace Coffer.Core.Parameters;

public sealed record DeleteParametersResult(IReadOnlyList<string> DeletedParameters, IReadOnlyList<string> InvalidParameters);

public sealed partial class ParameterService
{
    /// <summary>DeleteParameter: the parameter, every version and every label.</summary>
    public Task DeleteParameterAsync(Call call, string name, CancellationToken ct)
    {
        name = ParameterNames.ValidateCharacters(name);
        var arn = Arn(call, name);
        Authorize(call, "ssm:DeleteParameter", arn);
        return audit.WriteChangeAsync(call, s =>
        {
            var parameter = FindByName(s, call, name) ?? throw SsmErrors.ParameterNotFound(name);
            Delete(s, call, parameter);
            return true;
        }, ct);
    }

    /// <summary>DeleteParameters: up to ten at once, in one transaction; names not found come back in InvalidParameters.</summary>
    public Task<DeleteParametersResult> DeleteParametersAsync(Call call, IReadOnlyList<string> names, CancellationToken ct)
    {
        var checkedNames = new List<(string Text, string? Name)>();
        foreach (var text in names.Distinct())
        {
            string? name = null;
            try
            {
                name = ParameterNames.ValidateCharacters(text);
                Authorize(call, "ssm:DeleteParameters", Arn(call, name));
            }
            catch (CofferException e) when (e.Code == ErrorCodes.Validation)
            {
                // A malformed name names nothing: AWS lists it as invalid.
            }

            checkedNames.Add((text, name));
        }

        return audit.WriteChangeAsync(call, s =>
        {
            var deleted = new List<string>();
            var invalid = new List<string>();
            foreach (var (text, name) in checkedNames)
            {
                if (name is not null && FindByName(s, call, name) is { } parameter)
                {
                    Delete(s, call, parameter);
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

    private static void Delete(Storage.IStoreSession s, Call call, Parameter parameter)
    {
        s.Parameters.Delete(parameter.AccountId, parameter.Region, parameter.Name);
        s.Events.Append(ChangeEvent(call, "Delete", parameter.Arn, parameter.Current));
    }
}
