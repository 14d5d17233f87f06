using Coffer.Server.Aws.Kms;
using Coffer.Server.Aws.Protocol;
using Coffer.Server.Aws.Ssm;

namespace Coffer.Server.Aws;

/// <summary>The AWS services this server speaks, each with its operation table.</summary>
public static class AwsServices
{
    public static IReadOnlyList<JsonService> Json() =>
    [
        new JsonService("TrentService", "kms", "kms.amazonaws.com", ServiceModel.Load("kms"), KmsOperations.All),
        new JsonService("AmazonSSM", "ssm", "ssm.amazonaws.com", ServiceModel.Load("ssm"), SsmOperations.All),
    ];
}
