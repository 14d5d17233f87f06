using System.Text.Json;
using Coffer.Core;
using Coffer.Core.Crypto;
using Coffer.Server.Auth;
using Coffer.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Aws.Protocol;

/// <summary>
/// The AWS JSON 1.1 adapter that KMS, SSM and Secrets Manager share: <c>POST /</c> with
/// <c>X-Amz-Target: Prefix.Operation</c>. It authenticates, finds the operation, validates the body
/// against the model, makes the <see cref="Call"/>, invokes the operation, records the outcome in
/// the audit log (fail-closed), and maps domain errors to AWS's error shapes.
/// </summary>
public sealed class JsonProtocol
{
    private readonly Dictionary<string, (JsonService Service, JsonOperation Operation, OperationModel Model)> _targets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonService> _prefixes = new(StringComparer.Ordinal);
    private readonly CofferServices _services;
    private readonly SigV4Verifier _verifier;
    private readonly ILogger _logger;

    public JsonProtocol(IEnumerable<JsonService> services, CofferServices cofferServices, SigV4Verifier verifier, ILogger logger)
    {
        foreach (var service in services)
        {
            _prefixes[service.TargetPrefix] = service;
            foreach (var op in service.Operations)
            {
                var model = service.Model.FindOperation(op.Name)
                    ?? throw new InvalidOperationException($"{service.TargetPrefix}.{op.Name} is not in the service model.");
                _targets[service.TargetPrefix + "." + op.Name] = (service, op, model);
            }
        }

        _services = cofferServices;
        _verifier = verifier;
        _logger = logger;
    }

    public IEnumerable<string> Targets => _targets.Keys;

    public async Task HandleAsync(HttpContext context, string target, byte[] body, RequestInfo info)
    {
        var prefix = target.Split('.')[0];
        var service = _prefixes.GetValueOrDefault(prefix);
        if (!IsJsonContentType(context.Request.ContentType))
        {
            await AwsErrorWriter.WriteJsonAsync(context, service?.Model, "UnknownOperationException", $"Content-Type must be {AwsErrorWriter.JsonContentType}.");
            return;
        }

        Authenticated auth;
        try
        {
            auth = _verifier.Verify(context.Request, body);
        }
        catch (CofferException e)
        {
            await AwsErrorWriter.WriteJsonAsync(context, service?.Model, e.Code, e.Message);
            return;
        }
        catch (SealedException e)
        {
            await AwsErrorWriter.WriteJsonAsync(context, 503, "ServiceUnavailableException", e.Message);
            return;
        }

        if (!_targets.TryGetValue(target, out var entry))
        {
            var message = service is not null && service.Model.FindOperation(target[(prefix.Length + 1)..]) is not null
                ? $"Coffer does not implement {target} yet; see docs/api-compatibility.md."
                : $"Unknown operation {target}.";
            await AwsErrorWriter.WriteJsonAsync(context, service?.Model, "UnknownOperationException", message);
            return;
        }

        if (auth.Service != entry.Service.SigningName)
        {
            await AwsErrorWriter.WriteJsonAsync(context, entry.Service.Model, "InvalidSignatureException", $"Credential should be scoped to correct service: '{entry.Service.SigningName}'. ");
            return;
        }

        var call = new Call(auth.Principal, auth.Region, entry.Service.EventSource, entry.Operation.Name, info.Origin);
        byte[] response;
        try
        {
            using var json = ParseBody(body);
            if (entry.Model.Input is { } input)
            {
                call.RequestParameters = RequestRedactor.Redact(input, json.RootElement);
                ModelValidator.Validate(input, json.RootElement);
            }

            response = await entry.Operation.InvokeAsync(_services, call, json.RootElement, context.RequestAborted);
        }
        catch (CofferException e)
        {
            if (await CompleteAuditAsync(context, call, entry.Service.Model, e.Code, e.Message))
            {
                await AwsErrorWriter.WriteJsonAsync(context, entry.Service.Model, e.Code, e.Message);
            }

            return;
        }
        catch (SealedException e)
        {
            await AwsErrorWriter.WriteJsonAsync(context, 503, "ServiceUnavailableException", e.Message);
            return;
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            Log.InternalError(_logger, e, info.Origin.RequestId, target);
            if (await CompleteAuditAsync(context, call, entry.Service.Model, "InternalFailure", AuditCompletion.InternalMessage))
            {
                await AwsErrorWriter.WriteJsonAsync(context, 500, "InternalFailure", AuditCompletion.InternalMessage);
            }

            return;
        }

        if (await CompleteAuditAsync(context, call, entry.Service.Model, null, null))
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = AwsErrorWriter.JsonContentType;
            context.Response.ContentLength = response.Length;
            await context.Response.Body.WriteAsync(response, context.RequestAborted);
        }
    }

    /// <summary>Writes the call's audit record; if it cannot, refuses the call (fail-closed) and says so.</summary>
    private async Task<bool> CompleteAuditAsync(HttpContext context, Call call, ServiceModel model, string? errorCode, string? errorMessage)
    {
        if (await AuditCompletion.TryCompleteAsync(_services.Audit, _logger, call, errorCode, errorMessage))
        {
            return true;
        }

        await AwsErrorWriter.WriteJsonAsync(context, model, "InternalFailure", AuditCompletion.RefusedMessage);
        return false;
    }

    internal static JsonDocument ParseBody(byte[] body)
    {
        if (body.Length == 0)
        {
            return JsonDocument.Parse("{}");
        }

        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            throw new CofferException("SerializationException", "The request body is not valid JSON.");
        }
    }

    private static bool IsJsonContentType(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/x-amz-json-1.1", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/x-amz-json-1.0", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }
}
