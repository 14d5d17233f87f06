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

    public async Task<RegisteredFunction> RegisterAsync(Call call, string name, Uri url, int? timeoutSeconds, string? description, CancellationToken ct)
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
        await AuthorizeAsync(call, "coffer:RegisterFunction", function.Arn, ct);
        return await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            await s.Functions.UpsertAsync(function, ct);
            return function;
        }, ct);
    }

    public async Task<IReadOnlyList<RegisteredFunction>> ListAsync(Call call, CancellationToken ct)
    {
        await authorizer.AuthorizeAsync(call, new AccessRequest("coffer:ListFunctions", "*"), cancellationToken: ct);
        var registered = await store.ReadAsync((s, ct) => s.Functions.ListAsync(call.AccountId, call.Region, ct), ct);
        return [.. BuiltIns(call.AccountId, call.Region), .. registered];
    }

    public async Task DeleteAsync(Call call, string name, CancellationToken ct)
    {
        var arn = FunctionArns.For(call.Region, call.AccountId, name);
        await AuthorizeAsync(call, "coffer:DeleteFunction", arn, ct);
        if (builtIns.ContainsKey(name))
        {
            throw CommonErrors.Validation($"{name} is a built-in function and cannot be deleted.");
        }

        await audit.WriteChangeAsync(call, async (s, ct) => await s.Functions.DeleteAsync(call.AccountId, call.Region, name, ct)
            ? true
            : throw new CofferException("ResourceNotFoundException", $"Function not found: {arn}"), ct);
    }

    /// <summary>The function an ARN names, built-in or registered; null if there is none.</summary>
    public async ValueTask<RegisteredFunction?> FindAsync(string functionArn, CancellationToken ct)
    {
        if (!FunctionArns.TryParse(functionArn, out var region, out var account, out var name))
        {
            return null;
        }

        return builtIns.ContainsKey(name)
            ? BuiltIns(account, region).First(f => f.Name == name)
            : await store.ReadAsync((s, ct) => s.Functions.FindAsync(account, region, name, ct), ct);
    }

    private IEnumerable<RegisteredFunction> BuiltIns(string account, string region) =>
        builtIns.Select(b => new RegisteredFunction { AccountId = account, Region = region, Name = b.Key, Description = b.Value });

    private ValueTask AuthorizeAsync(Call call, string action, string arn, CancellationToken ct)
    {
        call.AddResource(arn, ResourceType);
        return authorizer.AuthorizeAsync(call, new AccessRequest(action, arn), cancellationToken: ct);
    }
}
