using Coffer.Server.Aws.Admin;
using Coffer.Server.Aws.CloudTrail;
using Coffer.Server.Aws.Events;
using Coffer.Server.Aws.Iam;
using Coffer.Server.Aws.Kms;
using Coffer.Server.Aws.Protocol;
using Coffer.Server.Aws.SecretsManager;
using Coffer.Server.Aws.Ssm;
using Coffer.Server.Aws.Sts;

namespace Coffer.Server.Aws;

/// <summary>The AWS services this server speaks, each with its operation table.</summary>
public static class AwsServices
{
    public static IReadOnlyList<JsonService> Json() =>
    [
        new JsonService("TrentService", "kms", "kms.amazonaws.com", ServiceModel.Load("kms"), KmsOperations.All),
        new JsonService("AmazonSSM", "ssm", "ssm.amazonaws.com", ServiceModel.Load("ssm"), SsmOperations.All),
        new JsonService("secretsmanager", "secretsmanager", "secretsmanager.amazonaws.com", ServiceModel.Load("secretsmanager"), SecretsManagerOperations.All),
        new JsonService("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101", "cloudtrail", "cloudtrail.amazonaws.com", ServiceModel.Load("cloudtrail"), CloudTrailOperations.All),
        new JsonService("AWSEvents", "events", "events.amazonaws.com", ServiceModel.Load("events"), EventsOperations.All),
        new JsonService("Coffer", "coffer", "coffer.amazonaws.com", ServiceModel.Load("coffer"), AdminOperations.All),
    ];

    /// <summary>The AWS query-protocol services (global: signed for us-east-1 by the AWS CLI).</summary>
    public static IReadOnlyList<QueryService> Query() =>
    [
        new QueryService("iam", "iam.amazonaws.com", ServiceModel.Load("iam"), IamOperations.All),
        new QueryService("sts", "sts.amazonaws.com", ServiceModel.Load("sts"), StsOperations.All),
    ];
}
