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

        await authorizer.AuthorizeAsync(call, new AccessRequest("secretsmanager:BatchGetSecretValue", "*"), cancellationToken: ct);
        IReadOnlyList<string> ids;
        string? next = null;
        if (filters is not null)
        {
            await authorizer.AuthorizeAsync(call, new AccessRequest("secretsmanager:ListSecrets", "*"), cancellationToken: ct);
            var page = PageOf([.. (await VisibleAsync(call, filters, includeDeleted: false, ct)).OrderBy(s => s.CreatedDate).Select(s => s.Arn)], maxResults ?? 20, nextToken);
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
            // Each read is its own GetSecretValue in the audit trail, as in CloudTrail.
            var one = await pipeline.RunNestedAsync(call, "GetSecretValue", new JsonObject { ["secretId"] = id }, (read, token) => GetSecretValueAsync(read, id, null, null, token), ct);
            if (one.Succeeded)
            {
                values.Add(one.Value!);
            }
            else if (one.Error!.Code is ErrorCodes.InternalFailure or ErrorCodes.ServiceUnavailable)
            {
                // A read that could not be recorded (or ran into a fault) fails the whole batch.
                throw one.Error;
            }
            else
            {
                errors.Add(new BatchError(id, one.Error.Code, one.Error.Message));
            }
        }

        return new BatchResult(values, errors, next);
    }

    public async Task<string> GetRandomPasswordAsync(Call call, PasswordOptions options, CancellationToken ct)
    {
        await authorizer.AuthorizeAsync(call, new AccessRequest("secretsmanager:GetRandomPassword", "*"), cancellationToken: ct);
        return PasswordGenerator.Generate(options);
    }
}
