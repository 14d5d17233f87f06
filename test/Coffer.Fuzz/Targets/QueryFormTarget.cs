using System.Text;
using System.Text.Json;
using Coffer.Core;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Fuzz.Targets;

/// <summary>
/// The query protocol's form reader as <see cref="QueryProtocol"/> runs it: the body decoded as
/// UTF-8, <see cref="QueryForm.Parse"/>, then, when <c>Action</c> names an IAM or STS operation,
/// <see cref="QueryForm.ToJson"/> against its input shape, the JSON round trip, the redactor and
/// the validator. Input: a form body (<c>Action=CreateUser&amp;UserName=a</c>). Expected refusal:
/// <see cref="CofferException"/> (ValidationError, ValidationException, SerializationException).
/// </summary>
public static class QueryFormTarget
{
    private static readonly ServiceModel[] Models = [ServiceModel.Load("iam"), ServiceModel.Load("sts")];

    public static void Run(byte[] data)
    {
        var fields = QueryForm.Parse(Encoding.UTF8.GetString(data));
        var action = fields.GetValueOrDefault("Action") ?? "";
        var input = Models.Select(m => m.FindOperation(action)).FirstOrDefault(o => o is not null)?.Input;
        if (input is null)
        {
            return;
        }

        try
        {
            var json = QueryForm.ToJson(input, fields).ToJsonString();
            using var doc = JsonDocument.Parse(json);
            RequestRedactor.Redact(input, doc.RootElement);
            ModelValidator.Validate(input, doc.RootElement);
        }
        catch (CofferException)
        {
            // The adapter answers these with a 400 in AWS's shape.
        }
    }
}
