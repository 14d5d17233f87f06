using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Coffer.Core;

namespace Coffer.Server.Aws.Protocol;

/// <summary>An operation of an AWS JSON 1.1 service: its name, and how to turn the request JSON into a
/// typed call and the typed result into response JSON.</summary>
public abstract class JsonOperation(string name)
{
    public string Name { get; } = name;

    public abstract Task<byte[]> InvokeAsync(CofferServices services, Call call, JsonElement body, CancellationToken ct);

    /// <summary>
    /// An operation whose request and response type info are created on its first call, not at start:
    /// building them for every operation of every service was half of the server's start (issue 11).
    /// </summary>
    public static JsonOperation Create<TRequest, TResponse>(
        string name,
        Func<JsonTypeInfo<TRequest>> requestType,
        Func<JsonTypeInfo<TResponse>> responseType,
        Func<CofferServices, Call, TRequest, CancellationToken, Task<TResponse>> handler) =>
        new Typed<TRequest, TResponse>(name, requestType, responseType, handler);

    private sealed class Typed<TRequest, TResponse>(
        string name,
        Func<JsonTypeInfo<TRequest>> requestType,
        Func<JsonTypeInfo<TResponse>> responseType,
        Func<CofferServices, Call, TRequest, CancellationToken, Task<TResponse>> handler) : JsonOperation(name)
    {
        // Racing first calls may each create one; either is as good, and the property caches its own.
        private JsonTypeInfo<TRequest>? _request;
        private JsonTypeInfo<TResponse>? _response;

        public override async Task<byte[]> InvokeAsync(CofferServices services, Call call, JsonElement body, CancellationToken ct)
        {
            TRequest request;
            try
            {
                request = body.Deserialize(_request ??= requestType())!;
            }
            catch (JsonException)
            {
                throw new CofferException(ErrorCodes.Serialization, "The request body does not match the operation's input.");
            }

            var response = await handler(services, call, request, ct);
            return JsonSerializer.SerializeToUtf8Bytes(response, _response ??= responseType());
        }
    }
}

/// <summary>One AWS JSON service: the X-Amz-Target prefix, its model, and the operations Coffer implements.</summary>
public sealed record JsonService(string TargetPrefix, string SigningName, string EventSource, ServiceModel Model, IReadOnlyList<JsonOperation> Operations);

/// <summary>Response of operations that return nothing but an empty JSON object.</summary>
public sealed record Empty;
