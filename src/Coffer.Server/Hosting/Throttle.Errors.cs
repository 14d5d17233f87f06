using Coffer.Server.Aws.Protocol;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Hosting;

public sealed partial class Throttle
{
    /// <summary>The JSON services' throttling code. SSM's model names it; KMS's and Secrets Manager's
    /// do not, and AWS answers them with the same code, which every SDK retries.</summary>
    public const string JsonCode = "ThrottlingException";

    /// <summary>The query protocol's (IAM's and STS's) throttling code.</summary>
    public const string QueryCode = "Throttling";

    /// <summary>Answers a throttled request as AWS does: status 400 and the protocol's throttling code,
    /// which the SDKs' retry handlers recognize and back off from.</summary>
    public static async Task WriteErrorAsync(HttpContext context, bool queryProtocol, string requestId)
    {
        if (!queryProtocol)
        {
            await AwsErrorWriter.WriteJsonAsync(context, 400, JsonCode, Message);
            return;
        }

        var body = QueryXml.Error(null, 400, QueryCode, Message, requestId);
        context.Response.StatusCode = 400;
        context.Response.ContentType = QueryXml.ContentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
