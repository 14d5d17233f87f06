namespace Coffer.Core.Identity;

/// <summary>The AWS managed policies Coffer ships, for the attach calls that guides use first.</summary>
public static class AwsManagedPolicies
{
    private static readonly DateTimeOffset Created = new(2015, 2, 6, 18, 39, 46, TimeSpan.Zero);

    public static IReadOnlyList<ManagedPolicy> All { get; } =
    [
        Make("AdministratorAccess", "ANPAIWMBCKSKIEE64ZLYK", "Provides full access to AWS services and resources.", """
            {
              "Version": "2012-10-17",
              "Statement": [{ "Effect": "Allow", "Action": "*", "Resource": "*" }]
            }
            """),
        Make("IAMReadOnlyAccess", "ANPAJKSO7NDY4T57MWDSQ", "Provides read only access to IAM via the AWS Management Console.", """
            {
              "Version": "2012-10-17",
              "Statement": [{ "Effect": "Allow", "Action": ["iam:Get*", "iam:List*", "iam:Simulate*"], "Resource": "*" }]
            }
            """),
    ];

    public static ManagedPolicy? Find(string arn)
    {
        foreach (var policy in All)
        {
            if (policy.Arn == arn || (arn.StartsWith("arn:", StringComparison.Ordinal) && arn.EndsWith(":iam::aws:policy/" + policy.Name, StringComparison.Ordinal)))
            {
                return policy;
            }
        }

        return null;
    }

    private static ManagedPolicy Make(string name, string id, string description, string document) => new()
    {
        AccountId = "aws",
        Name = name,
        Id = id,
        Path = "/",
        Arn = "arn:aws:iam::aws:policy/" + name,
        Description = description,
        CreateDate = Created,
        UpdateDate = Created,
        DefaultVersionId = "v1",
        Versions = [new PolicyVersion("v1", document, Created)],
    };
}
