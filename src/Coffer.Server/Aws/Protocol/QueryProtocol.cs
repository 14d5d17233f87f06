using System.Text;
using System.Text.Json;
using Coffer.Core;
using Coffer.Core.Crypto;
using Coffer.Core.Pipeline;
using Coffer.Server.Auth;
using Coffer.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Aws.Protocol;

/// <summary>One AWS query-protocol service (IAM, STS): its SigV4 signing name, model and operations.</summary>
public sealed record QueryService(string SigningName, string EventSource, ServiceModel Model, IReadOnlyList<JsonOperation> Operations);

/// <summary>
/// The AWS query-protocol adapter that IAM and STS share: form-encoded <c>POST /</c> (or a presigned
/// <c>GET /?Action=...</c>) answered in XML. The service is the one the request is signed for. The
/// form is read into the JSON the model validates, so operations are the same typed
/// <see cref="JsonOperation"/>s as the JSON services'; results are written back as XML by the
/// output shape, errors as AWS's ErrorResponse with the model's code and status.
/// </summary>
public sealed class QueryProtocol
{
    private readonly Dictionary<string, QueryService> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Service, string Action), (JsonOperation Operation, OperationModel Model)> _operations = new();
    private readonly CofferServices _coffer;
    private readonly RequestAuthenticator _authenticator;

    public QueryProtocol(IEnumerable<QueryService> services, CofferServices cofferServices, RequestAuthenticator authenticator)
    {
        foreach (var service in services)
        {
            _services[service.SigningName] = service;
            foreach (var op in service.Operations)
            {
                var model = service.Model.FindOperation(op.Name)
                    ?? throw new InvalidOperationException($"{service.SigningName}:{op.Name} is not in the service model.");
                _operations[(service.SigningName, op.Name)] = (op, model);
            }
        }

        _coffer = cofferServices;
        _authenticator = authenticator;
    }

    /// <summary>A form-encoded POST, or a GET that names an Action.</summary>
    public static bool Accepts(HttpRequest request) =>
        (HttpMethods.IsPost(request.Method) && request.ContentType is { } type && type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        || (HttpMethods.IsGet(request.Method) && request.Query.ContainsKey("Action"));

    public async Task HandleAsync(HttpContext context, byte[] body, RequestInfo info)
    {
        var requestId = info.Origin.RequestId;
        var fields = QueryForm.Parse(context.Request.QueryString.Value);
        var action = fields.GetValueOrDefault("Action") ?? "";
        Authenticated auth;
        try
        {
            fields = Parameters(context.Request, fields, body);
            action = fields.GetValueOrDefault("Action") ?? "";
            auth = await _authenticator.AuthenticateAsync(context.Request, body, context.RequestAborted);
        }
        catch (CofferException e)
        {
            await WriteErrorAsync(context, Guess(action).Model, e.Code, e.Message, requestId);
            return;
        }
        catch (SealedException e)
        {
            await WriteErrorAsync(context, Guess(action).Model, ErrorCodes.ServiceUnavailable, e.Message, requestId);
            return;
        }

        if (!_services.TryGetValue(auth.Service, out var service))
        {
            await WriteErrorAsync(context, Guess(action).Model, "InvalidClientTokenId", $"Credential should be scoped to a query-protocol service Coffer speaks ({string.Join(", ", _services.Keys)}), not '{auth.Service}'.", requestId);
            return;
        }

        if (!_operations.TryGetValue((service.SigningName, action), out var entry))
        {
            var message = service.Model.FindOperation(action) is not null
                ? $"Coffer does not implement {service.SigningName} {action} yet; see docs/api-compatibility.md."
                : $"Could not find operation {action} for version {service.Model.ApiVersion}";
            await WriteErrorAsync(context, service.Model, "InvalidAction", message, requestId);
            return;
        }

        var request = new CallRequest(auth.Principal, auth.Region, service.EventSource, action, info.Origin);
        var outcome = await _coffer.Pipeline.RunAsync(request, async (call, ct) =>
        {
            var json = entry.Model.Input is { } input ? QueryForm.ToJson(input, fields).ToJsonString() : "{}";
            using var doc = JsonDocument.Parse(json);
            if (entry.Model.Input is { } shape)
            {
                call.RequestParameters = RequestRedactor.Redact(shape, doc.RootElement);
                ModelValidator.Validate(shape, doc.RootElement);
            }

            var result = await entry.Operation.InvokeAsync(_coffer, call, doc.RootElement, ct);
            using var resultDoc = JsonDocument.Parse(result);
            return QueryXml.Response(service.Model, action, entry.Model.Output, resultDoc.RootElement, requestId);
        }, context.RequestAborted);

        if (outcome.Error is { } error)
        {
            await WriteErrorAsync(context, service.Model, error.Code, error.Message, requestId);
            return;
        }

        var response = outcome.Value!;
        context.Response.StatusCode = 200;
        context.Response.ContentType = QueryXml.ContentType;
        context.Response.ContentLength = response.Length;
        await context.Response.Body.WriteAsync(response, context.RequestAborted);
    }

    /// <summary>
    /// The request's parameters: from the signed query string or from the signed form body, never
    /// both, so that nothing the signature does not cover (a presigned URL's body) is ever read; a
    /// GET has no body.
    /// </summary>
    private static Dictionary<string, string> Parameters(HttpRequest request, Dictionary<string, string> fromQuery, byte[] body)
    {
        if (body.Length == 0)
        {
            return fromQuery;
        }

        if (HttpMethods.IsGet(request.Method))
        {
            throw new CofferException(ErrorCodes.Validation, "A GET request carries its parameters in the query string and has no body.");
        }

        if (fromQuery.Count > 0)
        {
            throw new CofferException(ErrorCodes.Validation, "Parameters come from the query string or from the form body, not both.");
        }

        return QueryForm.Parse(Encoding.UTF8.GetString(body));
    }

    private QueryService Guess(string action) =>
        _services.Values.FirstOrDefault(s => s.Model.FindOperation(action) is not null) ?? _services.Values.First();

    /// <summary>The one place that writes query-protocol errors: the domain's and SigV4's codes renamed to the query protocol's.</summary>
    public static async Task WriteErrorAsync(HttpContext context, ServiceModel model, string code, string message, string requestId)
    {
        var (wireCode, status) = code switch
        {
            ErrorCodes.Validation or ErrorCodes.Serialization => ("ValidationError", 400),
            ErrorCodes.AccessDenied => ("AccessDenied", 403),
            ErrorCodes.UnrecognizedClient => ("InvalidClientTokenId", 403),
            ErrorCodes.InvalidSignature => ("SignatureDoesNotMatch", 403),
            ErrorCodes.IncompleteSignature => ("IncompleteSignature", 400),
            ErrorCodes.MissingAuthenticationToken => ("MissingAuthenticationToken", 403),
            ErrorCodes.ExpiredToken => ("ExpiredToken", 403),
            ErrorCodes.ServiceUnavailable => ("ServiceUnavailable", 503),
            ErrorCodes.Throttling => (Hosting.Throttle.QueryCode, 400),
            ErrorCodes.InternalFailure => ("InternalFailure", 500),
            _ => Swap(model.Error(code)),
        };
        var body = QueryXml.Error(model, status, wireCode, message, requestId);
        context.Response.StatusCode = status;
        context.Response.ContentType = QueryXml.ContentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body);
    }

    private static (string, int) Swap((int Status, string Code) error) => (error.Code, error.Status);
}
