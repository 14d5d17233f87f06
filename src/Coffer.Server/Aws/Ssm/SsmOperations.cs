using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

/// <summary>The Parameter Store operations Coffer implements (X-Amz-Target <c>AmazonSSM.NAME</c>).</summary>
public static class SsmOperations
{
    public static IReadOnlyList<JsonOperation> All { get; } =
    [
        PutParameter.Operation,
        GetParameter.Operation,
        GetParameters.Operation,
        GetParametersByPath.Operation,
        GetParameterHistory.Operation,
        DeleteParameter.Operation,
        DeleteParameters.Operation,
        DescribeParameters.Operation,
        LabelParameterVersion.Operation,
        UnlabelParameterVersion.Operation,
        AddTagsToResource.Operation,
        ListTagsForResource.Operation,
        RemoveTagsFromResource.Operation,
        PutResourcePolicy.Operation,
        GetResourcePolicies.Operation,
        DeleteResourcePolicy.Operation,
        ServiceSettings.Get,
        ServiceSettings.Update,
        ServiceSettings.Reset,
    ];
}
