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

    public static JsonOperation Create<TRequest, TResponse>(
        string name,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        Func<CofferServices, Call, TRequest, CancellationToken, Task<TResponse>> handler) =>
        new Typed<TRequest, TResponse>(name, requestType, responseType, handler);

    private sealed class Typed<TRequest, TResponse>(
        string name,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        Func<CofferServices, Call, TRequest, CancellationToken, Task<TResponse>> handler) : JsonOperation(name)
    {
        public override async Task<byte[]> InvokeAsync(CofferServices services, Call call, JsonElement body, CancellationToken ct)
        {
            TRequest request;
            try
            {
                request = body.Deserialize(requestType)!;
            }
            catch (JsonException)
            {
                throw new CofferException("SerializationException", "The request body does not match the operation's input.");
            }

            var response = await handler(services, call, request, ct);
            return JsonSerializer.SerializeToUtf8Bytes(response, responseType);
        }
    }
}

/// <summary>One AWS JSON service: the X-Amz-Target prefix, its model, and the operations Coffer implements.</summary>
public sealed record JsonService(string TargetPrefix, string SigningName, string EventSource, ServiceModel Model, IReadOnlyList<JsonOperation> Operations);

/// <summary>Response of operations that return nothing but an empty JSON object.</summary>
public sealed record Empty;
