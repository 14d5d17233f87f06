using Coffer.Server.Aws.Admin;
using Coffer.Server.Aws.Kms;
using Coffer.Server.Aws.Protocol;
using Coffer.Server.Aws.Ssm;
using Coffer.Server.Aws.SecretsManager;

namespace Coffer.Server.Aws;

/// <summary>The AWS services this server speaks, each with its operation table.</summary>
public static class AwsServices
{
    public static IReadOnlyList<JsonService> Json() =>
    [
        new JsonService("TrentService", "kms", "kms.amazonaws.com", ServiceModel.Load("kms"), KmsOperations.All),
        new JsonService("AmazonSSM", "ssm", "ssm.amazonaws.com", ServiceModel.Load("ssm"), SsmOperations.All),
        new JsonService("secretsmanager", "secretsmanager", "secretsmanager.amazonaws.com", ServiceModel.Load("secretsmanager"), SecretsManagerOperations.All),
        new JsonService("Coffer", "coffer", "coffer", ServiceModel.Load("coffer"), AdminOperations.All),
    ];
}
