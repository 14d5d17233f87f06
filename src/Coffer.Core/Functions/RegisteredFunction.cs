namespace Coffer.Core.Functions;

/// <summary>
/// A Lambda-style function that Coffer can invoke: an HTTP endpoint registered under
/// <c>arn:aws:lambda:REGION:ACCOUNT:function:NAME</c>, such as a Secrets Manager rotation function.
/// A built-in function has no URL: Coffer runs it itself.
/// </summary>
public sealed record RegisteredFunction
{
    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required string Name { get; init; }

    public Uri? Url { get; init; }

    public int TimeoutSeconds { get; init; } = FunctionService.DefaultTimeoutSeconds;

    public string? Description { get; init; }

    public DateTimeOffset CreatedDate { get; init; }

    public string Arn => FunctionArns.For(Region, AccountId, Name);

    public bool IsBuiltIn => Url is null;
}

public static class FunctionArns
{
    public static string For(string region, string account, string name) => Aws.Arn.For("lambda", region, account, "function:" + name).ToString();

    /// <summary>Parses <c>arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME</c> (an optional <c>:QUALIFIER</c> is ignored).</summary>
    public static bool TryParse(string arn, out string region, out string account, out string name)
    {
        region = account = name = "";
        if (!Aws.Arn.TryParse(arn, out var parsed) || parsed.Value.Service != "lambda" || !parsed.Value.Resource.StartsWith("function:", StringComparison.Ordinal))
        {
            return false;
        }

        region = parsed.Value.Region;
        account = parsed.Value.Account;
        name = parsed.Value.Resource["function:".Length..].Split(':')[0];
        return region.Length > 0 && account.Length > 0 && name.Length > 0;
    }
}

public interface IFunctionRepository
{
    ValueTask<RegisteredFunction?> FindAsync(string accountId, string region, string name, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<RegisteredFunction>> ListAsync(string accountId, string region, CancellationToken cancellationToken);

    ValueTask UpsertAsync(RegisteredFunction function, CancellationToken cancellationToken);

    ValueTask<bool> DeleteAsync(string accountId, string region, string name, CancellationToken cancellationToken);
}
