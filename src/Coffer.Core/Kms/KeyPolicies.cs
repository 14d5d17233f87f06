namespace Coffer.Core.Kms;

/// <summary>The key policies KMS gives keys that are created without one.</summary>
public static class KeyPolicies
{
    /// <summary>AWS's default key policy: the account (its root, and through it IAM policies) may do anything with the key.</summary>
    public static string Default(string account, string region) => $$"""
        {
          "Version": "2012-10-17",
          "Id": "key-default-1",
          "Statement": [
            {
              "Sid": "Enable IAM User Permissions",
              "Effect": "Allow",
              "Principal": { "AWS": "arn:{{Aws.Partition.ForRegion(region)}}:iam::{{account}}:root" },
              "Action": "kms:*",
              "Resource": "*"
            }
          ]
        }
        """;

    /// <summary>The policy of an AWS managed key: use only through its service, read by the account.</summary>
    public static string AwsManaged(string account, string region, string service) => $$"""
        {
          "Version": "2012-10-17",
          "Id": "auto-{{service}}-1",
          "Statement": [
            {
              "Sid": "Allow access through {{service}} for all principals in the account that are authorized to use {{service}}",
              "Effect": "Allow",
              "Principal": { "AWS": "*" },
              "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
              "Resource": "*",
              "Condition": {
                "StringEquals": { "kms:CallerAccount": "{{account}}", "kms:ViaService": "{{service}}.{{region}}.amazonaws.com" }
              }
            },
            {
              "Sid": "Allow direct access to key metadata to the account",
              "Effect": "Allow",
              "Principal": { "AWS": "arn:{{Aws.Partition.ForRegion(region)}}:iam::{{account}}:root" },
              "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
              "Resource": "*"
            }
          ]
        }
        """;
}
