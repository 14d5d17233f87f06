using Coffer.Core;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Fuzz.Targets;

/// <summary>
/// The AWS JSON 1.1 adapter's body path: <c>ParseBody</c>, the audit redactor and
/// <see cref="ModelValidator"/>, against any operation's input shape in the KMS, SSM and Secrets
/// Manager models. Input: the X-Amz-Target on the first line (<c>TrentService.Encrypt</c>), then the
/// body. Expected refusal: <see cref="CofferException"/> (SerializationException, ValidationException).
/// </summary>
public static class JsonBodyTarget
{
    private static readonly Dictionary<string, ServiceModel> Models = new(StringComparer.Ordinal)
    {
        ["TrentService"] = ServiceModel.Load("kms"),
        ["AmazonSSM"] = ServiceModel.Load("ssm"),
        ["secretsmanager"] = ServiceModel.Load("secretsmanager"),
    };

    public static void Run(byte[] data)
    {
        var (target, body) = FuzzTargets.SplitFirstLine(data);
        var dot = target.IndexOf('.', StringComparison.Ordinal);
        var input = dot > 0 && Models.TryGetValue(target[..dot], out var model)
            ? model.FindOperation(target[(dot + 1)..])?.Input
            : null;
        if (HasInvalidStringText(body))
        {
            return;
        }

        try
        {
            using var json = JsonProtocol.ParseBody(body);
            if (input is not null)
            {
                RequestRedactor.Redact(input, json.RootElement);
                ModelValidator.Validate(input, json.RootElement);
            }
        }
        catch (CofferException)
        {
            // The adapter answers these with a 400 in AWS's shape.
        }
    }

    /// <summary>
    /// Invalid UTF-8 or an escaped lone surrogate inside a JSON string: known (issue 8, "Invalid UTF-8
    /// and escaped lone surrogates in a JSON string gave 500") and fixed in <c>ParseBody</c> by the
    /// JSON adapter's owner, so the fuzzer skips these bodies instead of finding the same crash again.
    /// The corpus keeps both kinds; once ParseBody refuses them, this filter can go.
    /// </summary>
    private static bool HasInvalidStringText(byte[] body)
    {
        var reader = new System.Text.Json.Utf8JsonReader(body, new System.Text.Json.JsonReaderOptions { MaxDepth = 32 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is System.Text.Json.JsonTokenType.String or System.Text.Json.JsonTokenType.PropertyName)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
            return false; // Not JSON at all: ParseBody's own refusal.
        }
        catch (InvalidOperationException)
        {
            return true;
        }

        return false;
    }
}
