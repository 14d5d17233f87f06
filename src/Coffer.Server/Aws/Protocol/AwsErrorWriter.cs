using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Aws.Protocol;

/// <summary>The one place that writes AWS JSON errors: <c>{"__type", "message"}</c>, with the status the model gives.</summary>
public static class AwsErrorWriter
{
    public const string JsonContentType = "application/x-amz-json-1.1";

    public static Task WriteJsonAsync(HttpContext context, ServiceModel? model, string code, string message)
    {
        var status = model?.Error(code).Status ?? ServiceModel.CommonErrorStatus(code);
        return WriteJsonAsync(context, status, code, message);
    }

    public static async Task WriteJsonAsync(HttpContext context, int status, string code, string message)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = JsonContentType;
        response.Headers["x-amzn-ErrorType"] = code;
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteString("__type", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
    }
}
