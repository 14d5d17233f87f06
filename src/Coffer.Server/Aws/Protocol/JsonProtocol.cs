using System.Text.Json;
using Coffer.Core;
using Coffer.Core.Crypto;
using Coffer.Core.Pipeline;
using Coffer.Server.Auth;
using Coffer.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Aws.Protocol;

/// <summary>
/// The AWS JSON 1.1 adapter that KMS, SSM and Secrets Manager share: <c>POST /</c> with
/// <c>X-Amz-Target: Prefix.Operation</c>. It authenticates, finds the operation, and runs it through
/// the <see cref="CallPipeline"/> (which audits, fail-closed); inside it, it reads and validates the
/// body against the model. It keeps only the wire format: errors become AWS's JSON error shapes.
/// </summary>
public sealed class JsonProtocol
{
    private readonly Dictionary<string, (JsonService Service, JsonOperation Operation, OperationModel Model)> _targets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonService> _prefixes = new(StringComparer.Ordinal);
    private readonly CofferServices _services;
    private readonly RequestAuthenticator _authenticator;

    public JsonProtocol(IEnumerable<JsonService> services, CofferServices cofferServices, RequestAuthenticator authenticator)
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
        _authenticator = authenticator;
    }

    public IEnumerable<string> Targets => _targets.Keys;

    public async Task HandleAsync(HttpContext context, string target, byte[] body, RequestInfo info)
    {
        // The prefix is all before the last dot: CloudTrail's is com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.
        var prefixLength = target.LastIndexOf('.') is var dot and > 0 ? dot : target.Length;
        var service = _prefixes.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(target.AsSpan(0, prefixLength), out var found) ? found : null;
        if (!IsJsonContentType(context.Request.ContentType))
        {
            await AwsErrorWriter.WriteJsonAsync(context, service?.Model, "UnknownOperationException", $"Content-Type must be {AwsErrorWriter.JsonContentType}.");
            return;
        }

        Authenticated auth;
        try
        {
            auth = await _authenticator.AuthenticateAsync(context.Request, body, context.RequestAborted);
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
            // A target with no dot (a service's prefix alone) names no operation.
            var message = service is not null && prefixLength < target.Length && service.Model.FindOperation(target[(prefixLength + 1)..]) is not null
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

        var request = new CallRequest(auth.Principal, auth.Region, entry.Service.EventSource, entry.Operation.Name, info.Origin);
        // Static, its state passed: no closure and no delegate a request (issue 11).
        var outcome = await _services.Pipeline.RunAsync(request, (Body: body, Entry: entry, Services: _services), static async (call, state, ct) =>
        {
            using var json = ParseBody(state.Body);
            if (state.Entry.Model.Input is { } input)
            {
                call.RequestParameters = RequestRedactor.Redact(input, json.RootElement);
                ModelValidator.Validate(input, json.RootElement);
            }

            return await state.Entry.Operation.InvokeAsync(state.Services, call, json.RootElement, ct);
        }, context.RequestAborted);

        if (outcome.Error is { } error)
        {
            await (error.Code switch
            {
                ErrorCodes.ServiceUnavailable => AwsErrorWriter.WriteJsonAsync(context, 503, "ServiceUnavailableException", error.Message),
                ErrorCodes.InternalFailure => AwsErrorWriter.WriteJsonAsync(context, 500, ErrorCodes.InternalFailure, error.Message),
                _ => AwsErrorWriter.WriteJsonAsync(context, entry.Service.Model, error.Code, error.Message),
            });
            return;
        }

        var response = outcome.Value!;
        context.Response.StatusCode = 200;
        context.Response.ContentType = AwsErrorWriter.JsonContentType;
        context.Response.ContentLength = response.Length;
        await context.Response.Body.WriteAsync(response, context.RequestAborted);
    }

    internal static JsonDocument ParseBody(byte[] body)
    {
        if (body.Length == 0)
        {
            return JsonDocument.Parse("{}");
        }

        // Text first: the parser leaves string contents unchecked, and its duplicate-name check
        // would stumble on a name that is not text.
        if (!JsonText.IsValidUnicode(body))
        {
            throw new CofferException(ErrorCodes.Serialization, "The request body is not valid JSON: a string is not valid UTF-8 or holds a lone surrogate.");
        }

        try
        {
            // A member given twice is refused: the model validator and the deserializer must not
            // read different copies of it.
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false });
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new CofferException(ErrorCodes.Serialization, "The request body is not valid JSON.");
        }
    }

    private static bool IsJsonContentType(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var mediaType = (contentType.IndexOf(';', StringComparison.Ordinal) is var semicolon and >= 0 ? contentType.AsSpan(0, semicolon) : contentType).Trim();
        return mediaType.Equals("application/x-amz-json-1.1", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/x-amz-json-1.0", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }
}
