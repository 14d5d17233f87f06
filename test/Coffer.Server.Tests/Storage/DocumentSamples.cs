using Coffer.Core.Events;
using Coffer.Core.Functions;
using Coffer.Core.Identity;
using Coffer.Core.Kms;
using Coffer.Core.Parameters;
using Coffer.Core.Secrets;

namespace Coffer.Server.Tests.Storage;

/// <summary>One domain value per stored document, every member set (lists not empty), so that each
/// persisted name appears in its golden document (issue 10).</summary>
internal static class DocumentSamples
{
    private const string Account = "111122223333";
    private const string Region = "us-east-1";

    private static readonly DateTimeOffset T1 = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset T2 = new(2025, 2, 3, 4, 5, 6, 789, TimeSpan.Zero);

    public static KmsKey KmsKey => new()
    {
        KeyId = Guid.Parse("1234abcd-12ab-34cd-56ef-1234567890ab"),
        AccountId = Account,
        Region = Region,
        CreationDate = T1,
        Description = "orders",
        KeyUsage = "ENCRYPT_DECRYPT",
        KeySpec = "SYMMETRIC_DEFAULT",
        Origin = "EXTERNAL",
        KeyManager = "CUSTOMER",
        State = KeyState.PendingDeletion,
        DeletionDate = T2,
        PendingDeletionWindowInDays = 7,
        Policy = """{"Version":"2012-10-17"}""",
        Tags = [new ResourceTag("team", "core")],
        RotationEnabled = true,
        RotationPeriodInDays = 90,
        NextRotationDate = T2,
        OnDemandRotationStartDate = T1,
        CurrentMaterialVersion = 2,
        Rotations = [new KeyRotation(2, T2, "ON_DEMAND")],
        MaterialImported = true,
        ExpirationModel = "KEY_MATERIAL_EXPIRES",
        ValidTo = T2,
        ImportedMaterialFingerprint = "f1",
        PrimaryRegion = Region,
        ReplicaRegions = ["eu-west-1"],
    };

    public static KmsGrant KmsGrant => new()
    {
        GrantId = "g-1",
        KeyId = Guid.Parse("1234abcd-12ab-34cd-56ef-1234567890ab"),
        AccountId = Account,
        Region = Region,
        Name = "app",
        CreationDate = T1,
        GranteePrincipal = "arn:aws:iam::111122223333:role/app",
        RetiringPrincipal = "arn:aws:iam::111122223333:role/admin",
        IssuingAccount = Account,
        Operations = ["Decrypt", "GenerateDataKey"],
        Constraints = new GrantConstraints(new Dictionary<string, string> { ["app"] = "orders" }, new Dictionary<string, string> { ["env"] = "prod" }),
    };

    public static Secret Secret => new()
    {
        AccountId = Account,
        Region = Region,
        Name = "db/password",
        Suffix = "AbCdEf",
        Description = "the database",
        KmsKeyId = "alias/orders",
        CreatedDate = T1,
        LastChangedDate = T2,
        LastAccessedDate = T1,
        DeletedDate = T1,
        DeletionDate = T2,
        Tags = [new ResourceTag("team", "core")],
        ResourcePolicy = """{"Version":"2012-10-17"}""",
        RotationEnabled = true,
        RotationLambdaArn = "arn:aws:lambda:us-east-1:111122223333:function:rotate",
        RotationRules = new RotationRules(30, "2h", "rate(30 days)"),
        LastRotatedDate = T1,
        NextRotation = new RotationWindow(T1, T2),
        Versions =
        [
            new SecretVersion("v-1", T1, ["AWSCURRENT"]) { Kind = SecretValueKind.String, KmsKeyArn = "arn:aws:kms:us-east-1:111122223333:key/k", LastAccessedDate = T2 },
            new SecretVersion("v-2", T2, ["AWSPENDING"]),
        ],
        PrimaryRegion = Region,
        Replicas = [new SecretReplica("eu-west-1", "alias/eu", SecretReplica.InSync, "Replication succeeded")],
    };

    public static RegisteredFunction Function => new()
    {
        AccountId = Account,
        Region = Region,
        Name = "rotate",
        Url = new Uri("http://127.0.0.1:9000/rotate"),
        TimeoutSeconds = 30,
        Description = "rotates db/password",
        CreatedDate = T1,
    };

    public static IamEntity IamRole => new()
    {
        Kind = IamEntityKind.Role,
        AccountId = Account,
        Name = "App",
        Id = "AROAEXAMPLE",
        Path = "/service/",
        Arn = "arn:aws:iam::111122223333:role/service/App",
        CreateDate = T1,
        InlinePolicies = [new InlinePolicy("read", """{"Version":"2012-10-17"}""")],
        Tags = [new ResourceTag("team", "core")],
        AssumeRolePolicyDocument = """{"Statement":[]}""",
        Description = "the app",
        MaxSessionDuration = 7200,
    };

    public static ManagedPolicy ManagedPolicy => new()
    {
        AccountId = Account,
        Name = "ReadOrders",
        Id = "ANPAEXAMPLE",
        Path = "/",
        Arn = "arn:aws:iam::111122223333:policy/ReadOrders",
        Description = "reads orders",
        CreateDate = T1,
        UpdateDate = T2,
        DefaultVersionId = "v2",
        Versions = [new PolicyVersion("v1", """{"Statement":[]}""", T1), new PolicyVersion("v2", """{"Statement":[1]}""", T2)],
        Tags = [new ResourceTag("team", "core")],
    };

    public static EventRule EventRule => new()
    {
        AccountId = Account,
        Region = Region,
        Name = "changes",
        EventPattern = """{"source":["coffer.ssm"]}""",
        ScheduleExpression = "rate(5 minutes)",
        Enabled = false,
        Description = "every change",
        RoleArn = "arn:aws:iam::111122223333:role/events",
        CreatedBy = Account,
    };

    public static RuleTarget RuleTarget => new("t-1", "arn:aws:events:us-east-1:111122223333:api-destination/hook/u-2", "arn:aws:iam::111122223333:role/events");

    public static EventConnection EventConnection => new()
    {
        AccountId = Account,
        Region = Region,
        Name = "hook",
        Uuid = "u-1",
        Description = "the hook's credentials",
        AuthorizationType = EventConnection.OAuthClientCredentials,
        Public = new ConnectionPublicParameters("user", "x-api-key", "client", "https://auth.example/token", "POST"),
        EncryptedSecret = [1, 2, 3, 4],
        CreationTime = T1,
        LastModifiedTime = T2,
    };

    public static ApiDestination ApiDestination => new()
    {
        AccountId = Account,
        Region = Region,
        Name = "hook",
        Uuid = "u-2",
        Description = "the hook",
        ConnectionArn = "arn:aws:events:us-east-1:111122223333:connection/hook/u-1",
        InvocationEndpoint = "https://hook.example/in",
        HttpMethod = "POST",
        InvocationRateLimitPerSecond = 10,
        EncryptedSigningSecret = [5, 6, 7],
        CreationTime = T1,
        LastModifiedTime = T2,
    };

    /// <summary>A version's metadata only: the name, number and value live in columns.</summary>
    public static ParameterVersion ParameterVersion => new()
    {
        Name = "/app/db/url",
        Version = 3,
        Type = ParameterTypes.SecureString,
        KeyId = "alias/aws/ssm",
        Description = "the url",
        AllowedPattern = "^postgres://",
        Tier = "Advanced",
        DataType = "text",
        Policies = [new ParameterPolicy("Expiration", """{"Type":"Expiration"}""", ParameterPolicy.Pending)],
        LastModifiedDate = T1,
        LastModifiedUser = "arn:aws:iam::111122223333:root",
    };

    public static IReadOnlyList<ResourceTag> Tags => [new ResourceTag("team", "core"), new ResourceTag("env", "prod")];

    public static IReadOnlyList<ParameterResourcePolicy> ParameterResourcePolicies => [new ParameterResourcePolicy("p-1", "h-1", """{"Version":"2012-10-17"}""")];
}
