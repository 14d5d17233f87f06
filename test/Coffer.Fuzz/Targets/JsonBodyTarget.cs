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
}
