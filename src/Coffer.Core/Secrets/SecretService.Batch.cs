using System.Text.Json.Nodes;
using Coffer.Core.Access;
using Coffer.Core.Kms;

namespace Coffer.Core.Secrets;

public sealed record BatchError(string SecretId, string ErrorCode, string Message);

public sealed record BatchResult(IReadOnlyList<SecretValueResult> Values, IReadOnlyList<BatchError> Errors, string? NextToken);

public sealed partial class SecretService
{
    /// <summary>
    /// Up to 20 values, by id or by filter. Each secret is read as its own GetSecretValue call, with
    /// its own authorization and audit record, as AWS logs them; a secret that fails is reported in
    /// Errors and does not fail the others. A filter selects among the secrets ListSecrets would show
    /// the caller, so Errors never names a secret the caller may not describe.
    /// </summary>
    public async Task<BatchResult> BatchGetSecretValueAsync(Call call, IReadOnlyList<string>? secretIds, IReadOnlyList<SecretFilter>? filters, int? maxResults, string? nextToken, CancellationToken ct)
    {
        if ((secretIds is null) == (filters is null))
        {
            throw SecretsErrors.InvalidParameter("Either 'SecretIdList' or 'Filters' must be provided, but not both.");
        }

        if (maxResults is not null && filters is null)
        {
            throw SecretsErrors.InvalidParameter("'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.");
        }

        authorizer.Authorize(call, new AccessRequest("secretsmanager:BatchGetSecretValue", "*"));
        IReadOnlyList<string> ids;
        string? next = null;
        if (filters is not null)
        {
            authorizer.Authorize(call, new AccessRequest("secretsmanager:ListSecrets", "*"));
            var page = PageOf([.. Visible(call, filters, includeDeleted: false).OrderBy(s => s.CreatedDate).Select(s => s.Arn)], maxResults ?? 20, nextToken);
            (ids, next) = (page.Items, page.NextMarker);
        }
        else
        {
            ids = secretIds!;
        }

        var values = new List<SecretValueResult>();
        var errors = new List<BatchError>();
        foreach (var id in ids)
        {
            var one = new Call(call.Principal, call.Region, call.EventSource, "GetSecretValue", call.Origin)
            {
                RequestParameters = new JsonObject { ["secretId"] = id },
            };
            try
            {
                values.Add(await GetSecretValueAsync(one, id, null, null, ct));
                await audit.CompleteAsync(one, null, null, ct);
            }
            catch (CofferException e)
            {
                errors.Add(new BatchError(id, e.Code, e.Message));
                await audit.CompleteAsync(one, e.Code, e.Message, ct);
            }
        }

        return new BatchResult(values, errors, next);
    }

    public string GetRandomPassword(Call call, PasswordOptions options)
    {
        authorizer.Authorize(call, new AccessRequest("secretsmanager:GetRandomPassword", "*"));
        return PasswordGenerator.Generate(options);
    }
}
