using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Admin;

public sealed record ListParameterFoldersRequest(string? Path, int? MaxResults, string? NextToken);

public sealed record ListParameterFoldersResponse(List<string> Folders, string? NextToken);

/// <summary>The folders directly under a Parameter Store path that hold a parameter the caller may
/// read (the console's tree), a page at a time; authorized as <c>ssm:DescribeParameters</c>.</summary>
public static class ListParameterFolders
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ListParameterFolders", static () => AdminJson.Default.ListParameterFoldersRequest, static () => AdminJson.Default.ListParameterFoldersResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Parameters.ListFoldersAsync(call, r.Path ?? "/", r.MaxResults, r.NextToken, ct);
            return new ListParameterFoldersResponse([.. page.Items], page.NextToken);
        });
}
