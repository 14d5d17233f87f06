using System.Text.Json.Serialization;
using Coffer.Core.Functions;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Admin;

public sealed record FunctionConfiguration(string FunctionName, string FunctionArn, string? Url, int? TimeoutSeconds, string? Description)
{
    public static FunctionConfiguration From(RegisteredFunction f) =>
        new(f.Name, f.Arn, f.Url?.ToString(), f.IsBuiltIn ? null : f.TimeoutSeconds, f.Description);
}

/// <summary>Source-generated serialization for Coffer's own operations (target prefix <c>Coffer</c>).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(Empty))]
[JsonSerializable(typeof(RegisterFunctionRequest))]
[JsonSerializable(typeof(RegisterFunctionResponse))]
[JsonSerializable(typeof(ListFunctionsResponse))]
[JsonSerializable(typeof(DeleteFunctionRequest))]
[JsonSerializable(typeof(IssueRoleCredentialsRequest))]
[JsonSerializable(typeof(IssueRoleCredentialsResponse))]
[JsonSerializable(typeof(ListEventDeadLettersResponse))]
[JsonSerializable(typeof(RedriveEventDeadLettersRequest))]
[JsonSerializable(typeof(RedriveEventDeadLettersResponse))]
[JsonSerializable(typeof(GetApiDestinationSigningSecretRequest))]
[JsonSerializable(typeof(GetApiDestinationSigningSecretResponse))]
[JsonSerializable(typeof(GetUsageRequest))]
[JsonSerializable(typeof(GetUsageResponse))]
[JsonSerializable(typeof(ListParameterFoldersRequest))]
[JsonSerializable(typeof(ListParameterFoldersResponse))]
public sealed partial class AdminJson : JsonSerializerContext;

/// <summary>Coffer's own operations (X-Amz-Target <c>Coffer.NAME</c>); the rest of the model answers "not implemented yet".</summary>
public static class AdminOperations
{
    public static IReadOnlyList<JsonOperation> All { get; } =
    [
        RegisterFunction.Operation,
        ListFunctions.Operation,
        DeleteFunction.Operation,
        IssueRoleCredentials.Operation,
        EventDeadLetters.List,
        EventDeadLetters.Redrive,
        EventDeadLetters.SigningSecret,
        GetUsage.Operation,
        ListParameterFolders.Operation,
    ];
}
