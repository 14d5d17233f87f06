using Coffer.Core.Access;
using Coffer.Core.Audit;
using Coffer.Core.Storage;

namespace Coffer.Core.Functions;

/// <summary>
/// The registry of functions Coffer can invoke (Coffer's RegisterFunction, ListFunctions and
/// DeleteFunction). Built-in functions (name and description, supplied by the host) exist in every
/// account and region and cannot be registered over or deleted.
/// </summary>
public sealed class FunctionService(ICofferStore store, IAuthorizer authorizer, AuditLog audit, TimeProvider time, IReadOnlyDictionary<string, string> builtIns)
{
    public const int DefaultTimeoutSeconds = 30;
    private const string ResourceType = "AWS::Lambda::Function";

    public Task<RegisteredFunction> RegisterAsync(Call call, string name, Uri url, int? timeoutSeconds, string? description, CancellationToken ct)
    {
        if (builtIns.ContainsKey(name))
        {
            throw new CofferException("ResourceExistsException", $"{name} is a built-in function; choose another name.");
        }

        var function = new RegisteredFunction
        {
            AccountId = call.AccountId,
            Region = call.Region,
            Name = name,
            Url = url,
            TimeoutSeconds = timeoutSeconds ?? DefaultTimeoutSeconds,
            Description = description,
            CreatedDate = time.GetUtcNow(),
        };
        Authorize(call, "coffer:RegisterFunction", function.Arn);
        return audit.WriteChangeAsync(call, s =>
        {
            s.Functions.Upsert(function);
            return function;
        }, ct);
    }

    public IReadOnlyList<RegisteredFunction> List(Call call)
    {
        authorizer.Authorize(call, new AccessRequest("coffer:ListFunctions", "*"));
        var registered = store.Read(s => s.Functions.List(call.AccountId, call.Region));
        return [.. BuiltIns(call.AccountId, call.Region), .. registered];
    }

    public async Task DeleteAsync(Call call, string name, CancellationToken ct)
    {
        var arn = FunctionArns.For(call.Region, call.AccountId, name);
        Authorize(call, "coffer:DeleteFunction", arn);
        if (builtIns.ContainsKey(name))
        {
            throw CommonErrors.Validation($"{name} is a built-in function and cannot be deleted.");
        }

        await audit.WriteChangeAsync(call, s => s.Functions.Delete(call.AccountId, call.Region, name)
            ? true
            : throw new CofferException("ResourceNotFoundException", $"Function not found: {arn}"), ct);
    }

    /// <summary>The function an ARN names, built-in or registered; null if there is none.</summary>
    public RegisteredFunction? Find(string functionArn)
    {
        if (!FunctionArns.TryParse(functionArn, out var region, out var account, out var name))
        {
            return null;
        }

        return builtIns.ContainsKey(name)
            ? BuiltIns(account, region).First(f => f.Name == name)
            : store.Read(s => s.Functions.Find(account, region, name));
    }

    private IEnumerable<RegisteredFunction> BuiltIns(string account, string region) =>
        builtIns.Select(b => new RegisteredFunction { AccountId = account, Region = region, Name = b.Key, Description = b.Value });

    private void Authorize(Call call, string action, string arn)
    {
        call.AddResource(arn, ResourceType);
        authorizer.Authorize(call, new AccessRequest(action, arn));
    }
}
