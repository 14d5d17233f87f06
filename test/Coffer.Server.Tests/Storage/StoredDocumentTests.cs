using Coffer.Storage.Sql.Documents;

namespace Coffer.Server.Tests.Storage;

/// <summary>
/// One golden document per stored record (issue 10). Each <c>Legacy</c> literal is what Coffer wrote
/// before the documents were versioned (the domain records serialized with their C# names, derived
/// members included), produced by that code from <see cref="DocumentSamples"/>: it must still read
/// into the same value, with no migration. Each <c>Golden</c> literal is what is written now. A
/// rename in a domain type leaves the persisted names alone; a rename in a persisted record fails here.
/// </summary>
public sealed class StoredDocumentTests
{
    internal const string LegacyKmsKey = """
        {"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","AccountId":"111122223333","Region":"us-east-1","CreationDate":"2025-01-02T03:04:05+00:00","Description":"orders","KeyUsage":"ENCRYPT_DECRYPT","KeySpec":"SYMMETRIC_DEFAULT","Origin":"EXTERNAL","KeyManager":"CUSTOMER","State":"PendingDeletion","DeletionDate":"2025-02-03T04:05:06.789+00:00","PendingDeletionWindowInDays":7,"Policy":"{\u0022Version\u0022:\u00222012-10-17\u0022}","Tags":[{"Key":"team","Value":"core"}],"RotationEnabled":true,"RotationPeriodInDays":90,"NextRotationDate":"2025-02-03T04:05:06.789+00:00","OnDemandRotationStartDate":"2025-01-02T03:04:05+00:00","CurrentMaterialVersion":2,"Rotations":[{"MaterialVersion":2,"RotationDate":"2025-02-03T04:05:06.789+00:00","RotationType":"ON_DEMAND"}],"MaterialImported":true,"ExpirationModel":"KEY_MATERIAL_EXPIRES","ValidTo":"2025-02-03T04:05:06.789+00:00","ImportedMaterialFingerprint":"f1","PrimaryRegion":"us-east-1","ReplicaRegions":["eu-west-1"],"Id":"1234abcd-12ab-34cd-56ef-1234567890ab","MultiRegion":false,"IsReplica":false,"Arn":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab","IsAwsManaged":false}
        """;

    private const string GoldenKmsKey = """
        {"v":1,"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","AccountId":"111122223333","Region":"us-east-1","CreationDate":"2025-01-02T03:04:05+00:00","Description":"orders","KeyUsage":"ENCRYPT_DECRYPT","KeySpec":"SYMMETRIC_DEFAULT","Origin":"EXTERNAL","KeyManager":"CUSTOMER","State":"PendingDeletion","DeletionDate":"2025-02-03T04:05:06.789+00:00","PendingDeletionWindowInDays":7,"Policy":"{\u0022Version\u0022:\u00222012-10-17\u0022}","Tags":[{"Key":"team","Value":"core"}],"RotationEnabled":true,"RotationPeriodInDays":90,"NextRotationDate":"2025-02-03T04:05:06.789+00:00","OnDemandRotationStartDate":"2025-01-02T03:04:05+00:00","CurrentMaterialVersion":2,"Rotations":[{"MaterialVersion":2,"RotationDate":"2025-02-03T04:05:06.789+00:00","RotationType":"ON_DEMAND"}],"MaterialImported":true,"ExpirationModel":"KEY_MATERIAL_EXPIRES","ValidTo":"2025-02-03T04:05:06.789+00:00","ImportedMaterialFingerprint":"f1","PrimaryRegion":"us-east-1","ReplicaRegions":["eu-west-1"]}
        """;

    internal const string LegacyKmsGrant = """
        {"GrantId":"g-1","KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","AccountId":"111122223333","Region":"us-east-1","Name":"app","CreationDate":"2025-01-02T03:04:05+00:00","GranteePrincipal":"arn:aws:iam::111122223333:role/app","RetiringPrincipal":"arn:aws:iam::111122223333:role/admin","IssuingAccount":"111122223333","Operations":["Decrypt","GenerateDataKey"],"Constraints":{"EncryptionContextSubset":{"app":"orders"},"EncryptionContextEquals":{"env":"prod"}},"KeyArn":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
        """;

    private const string GoldenKmsGrant = """
        {"v":1,"GrantId":"g-1","KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","AccountId":"111122223333","Region":"us-east-1","Name":"app","CreationDate":"2025-01-02T03:04:05+00:00","GranteePrincipal":"arn:aws:iam::111122223333:role/app","RetiringPrincipal":"arn:aws:iam::111122223333:role/admin","IssuingAccount":"111122223333","Operations":["Decrypt","GenerateDataKey"],"Constraints":{"EncryptionContextSubset":{"app":"orders"},"EncryptionContextEquals":{"env":"prod"}}}
        """;

    internal const string LegacySecret = """
        {"AccountId":"111122223333","Region":"us-east-1","Name":"db/password","Suffix":"AbCdEf","Description":"the database","KmsKeyId":"alias/orders","CreatedDate":"2025-01-02T03:04:05+00:00","LastChangedDate":"2025-02-03T04:05:06.789+00:00","LastAccessedDate":"2025-01-02T03:04:05+00:00","DeletedDate":"2025-01-02T03:04:05+00:00","DeletionDate":"2025-02-03T04:05:06.789+00:00","Tags":[{"Key":"team","Value":"core"}],"ResourcePolicy":"{\u0022Version\u0022:\u00222012-10-17\u0022}","RotationEnabled":true,"RotationLambdaArn":"arn:aws:lambda:us-east-1:111122223333:function:rotate","RotationRules":{"AutomaticallyAfterDays":30,"Duration":"2h","ScheduleExpression":"rate(30 days)"},"LastRotatedDate":"2025-01-02T03:04:05+00:00","NextRotation":{"Start":"2025-01-02T03:04:05+00:00","End":"2025-02-03T04:05:06.789+00:00"},"Versions":[{"VersionId":"v-1","CreatedDate":"2025-01-02T03:04:05+00:00","Stages":["AWSCURRENT"],"Kind":"String","KmsKeyArn":"arn:aws:kms:us-east-1:111122223333:key/k","LastAccessedDate":"2025-02-03T04:05:06.789+00:00","HasValue":true},{"VersionId":"v-2","CreatedDate":"2025-02-03T04:05:06.789+00:00","Stages":["AWSPENDING"],"HasValue":false}],"PrimaryRegion":"us-east-1","Replicas":[{"Region":"eu-west-1","KmsKeyId":"alias/eu","Status":"InSync","StatusMessage":"Replication succeeded"}],"Arn":"arn:aws:secretsmanager:us-east-1:111122223333:secret:db/password-AbCdEf","IsReplica":false,"StorageArn":"arn:aws:secretsmanager:us-east-1:111122223333:secret:db/password-AbCdEf","IsDeleted":true,"PendingRotation":{"VersionId":"v-2","CreatedDate":"2025-02-03T04:05:06.789+00:00","Stages":["AWSPENDING"],"HasValue":false}}
        """;

    private const string GoldenSecret = """
        {"v":1,"AccountId":"111122223333","Region":"us-east-1","Name":"db/password","Suffix":"AbCdEf","Description":"the database","KmsKeyId":"alias/orders","CreatedDate":"2025-01-02T03:04:05+00:00","LastChangedDate":"2025-02-03T04:05:06.789+00:00","LastAccessedDate":"2025-01-02T03:04:05+00:00","DeletedDate":"2025-01-02T03:04:05+00:00","DeletionDate":"2025-02-03T04:05:06.789+00:00","Tags":[{"Key":"team","Value":"core"}],"ResourcePolicy":"{\u0022Version\u0022:\u00222012-10-17\u0022}","RotationEnabled":true,"RotationLambdaArn":"arn:aws:lambda:us-east-1:111122223333:function:rotate","RotationRules":{"AutomaticallyAfterDays":30,"Duration":"2h","ScheduleExpression":"rate(30 days)"},"LastRotatedDate":"2025-01-02T03:04:05+00:00","NextRotation":{"Start":"2025-01-02T03:04:05+00:00","End":"2025-02-03T04:05:06.789+00:00"},"Versions":[{"VersionId":"v-1","CreatedDate":"2025-01-02T03:04:05+00:00","Stages":["AWSCURRENT"],"Kind":"String","KmsKeyArn":"arn:aws:kms:us-east-1:111122223333:key/k","LastAccessedDate":"2025-02-03T04:05:06.789+00:00"},{"VersionId":"v-2","CreatedDate":"2025-02-03T04:05:06.789+00:00","Stages":["AWSPENDING"]}],"PrimaryRegion":"us-east-1","Replicas":[{"Region":"eu-west-1","KmsKeyId":"alias/eu","Status":"InSync","StatusMessage":"Replication succeeded"}]}
        """;

    internal const string LegacyFunction = """
        {"AccountId":"111122223333","Region":"us-east-1","Name":"rotate","Url":"http://127.0.0.1:9000/rotate","TimeoutSeconds":30,"Description":"rotates db/password","CreatedDate":"2025-01-02T03:04:05+00:00","Arn":"arn:aws:lambda:us-east-1:111122223333:function:rotate","IsBuiltIn":false}
        """;

    private const string GoldenFunction = """
        {"v":1,"AccountId":"111122223333","Region":"us-east-1","Name":"rotate","Url":"http://127.0.0.1:9000/rotate","TimeoutSeconds":30,"Description":"rotates db/password","CreatedDate":"2025-01-02T03:04:05+00:00"}
        """;

    internal const string LegacyIamRole = """
        {"Kind":"Role","AccountId":"111122223333","Name":"App","Id":"AROAEXAMPLE","Path":"/service/","Arn":"arn:aws:iam::111122223333:role/service/App","CreateDate":"2025-01-02T03:04:05+00:00","InlinePolicies":[{"Name":"read","Document":"{\u0022Version\u0022:\u00222012-10-17\u0022}"}],"Tags":[{"Key":"team","Value":"core"}],"AssumeRolePolicyDocument":"{\u0022Statement\u0022:[]}","Description":"the app","MaxSessionDuration":7200}
        """;

    private const string GoldenIamRole = """
        {"v":1,"Kind":"Role","AccountId":"111122223333","Name":"App","Id":"AROAEXAMPLE","Path":"/service/","Arn":"arn:aws:iam::111122223333:role/service/App","CreateDate":"2025-01-02T03:04:05+00:00","InlinePolicies":[{"Name":"read","Document":"{\u0022Version\u0022:\u00222012-10-17\u0022}"}],"Tags":[{"Key":"team","Value":"core"}],"AssumeRolePolicyDocument":"{\u0022Statement\u0022:[]}","Description":"the app","MaxSessionDuration":7200}
        """;

    internal const string LegacyManagedPolicy = """
        {"AccountId":"111122223333","Name":"ReadOrders","Id":"ANPAEXAMPLE","Path":"/","Arn":"arn:aws:iam::111122223333:policy/ReadOrders","Description":"reads orders","CreateDate":"2025-01-02T03:04:05+00:00","UpdateDate":"2025-02-03T04:05:06.789+00:00","DefaultVersionId":"v2","Versions":[{"VersionId":"v1","Document":"{\u0022Statement\u0022:[]}","CreateDate":"2025-01-02T03:04:05+00:00"},{"VersionId":"v2","Document":"{\u0022Statement\u0022:[1]}","CreateDate":"2025-02-03T04:05:06.789+00:00"}],"Tags":[{"Key":"team","Value":"core"}],"IsAwsManaged":false,"DefaultVersion":{"VersionId":"v2","Document":"{\u0022Statement\u0022:[1]}","CreateDate":"2025-02-03T04:05:06.789+00:00"}}
        """;

    private const string GoldenManagedPolicy = """
        {"v":1,"AccountId":"111122223333","Name":"ReadOrders","Id":"ANPAEXAMPLE","Path":"/","Arn":"arn:aws:iam::111122223333:policy/ReadOrders","Description":"reads orders","CreateDate":"2025-01-02T03:04:05+00:00","UpdateDate":"2025-02-03T04:05:06.789+00:00","DefaultVersionId":"v2","Versions":[{"VersionId":"v1","Document":"{\u0022Statement\u0022:[]}","CreateDate":"2025-01-02T03:04:05+00:00"},{"VersionId":"v2","Document":"{\u0022Statement\u0022:[1]}","CreateDate":"2025-02-03T04:05:06.789+00:00"}],"Tags":[{"Key":"team","Value":"core"}]}
        """;

    internal const string LegacyEventRule = """
        {"AccountId":"111122223333","Region":"us-east-1","Name":"changes","EventPattern":"{\u0022source\u0022:[\u0022coffer.ssm\u0022]}","ScheduleExpression":"rate(5 minutes)","Enabled":false,"Description":"every change","RoleArn":"arn:aws:iam::111122223333:role/events","CreatedBy":"111122223333","Arn":"arn:aws:events:us-east-1:111122223333:rule/changes"}
        """;

    private const string GoldenEventRule = """
        {"v":1,"AccountId":"111122223333","Region":"us-east-1","Name":"changes","EventPattern":"{\u0022source\u0022:[\u0022coffer.ssm\u0022]}","ScheduleExpression":"rate(5 minutes)","Enabled":false,"Description":"every change","RoleArn":"arn:aws:iam::111122223333:role/events","CreatedBy":"111122223333"}
        """;

    internal const string LegacyRuleTarget = """
        {"Id":"t-1","Arn":"arn:aws:events:us-east-1:111122223333:api-destination/hook/u-2","RoleArn":"arn:aws:iam::111122223333:role/events"}
        """;

    private const string GoldenRuleTarget = """
        {"v":1,"Id":"t-1","Arn":"arn:aws:events:us-east-1:111122223333:api-destination/hook/u-2","RoleArn":"arn:aws:iam::111122223333:role/events"}
        """;

    internal const string LegacyEventConnection = """
        {"AccountId":"111122223333","Region":"us-east-1","Name":"hook","Uuid":"u-1","Description":"the hook\u0027s credentials","AuthorizationType":"OAUTH_CLIENT_CREDENTIALS","Public":{"Username":"user","ApiKeyName":"x-api-key","ClientId":"client","AuthorizationEndpoint":"https://auth.example/token","OAuthHttpMethod":"POST"},"EncryptedSecret":"AQIDBA==","CreationTime":"2025-01-02T03:04:05+00:00","LastModifiedTime":"2025-02-03T04:05:06.789+00:00","Arn":"arn:aws:events:us-east-1:111122223333:connection/hook/u-1"}
        """;

    private const string GoldenEventConnection = """
        {"v":1,"AccountId":"111122223333","Region":"us-east-1","Name":"hook","Uuid":"u-1","Description":"the hook\u0027s credentials","AuthorizationType":"OAUTH_CLIENT_CREDENTIALS","Public":{"Username":"user","ApiKeyName":"x-api-key","ClientId":"client","AuthorizationEndpoint":"https://auth.example/token","OAuthHttpMethod":"POST"},"EncryptedSecret":"AQIDBA==","CreationTime":"2025-01-02T03:04:05+00:00","LastModifiedTime":"2025-02-03T04:05:06.789+00:00"}
        """;

    internal const string LegacyApiDestination = """
        {"AccountId":"111122223333","Region":"us-east-1","Name":"hook","Uuid":"u-2","Description":"the hook","ConnectionArn":"arn:aws:events:us-east-1:111122223333:connection/hook/u-1","InvocationEndpoint":"https://hook.example/in","HttpMethod":"POST","InvocationRateLimitPerSecond":10,"EncryptedSigningSecret":"BQYH","CreationTime":"2025-01-02T03:04:05+00:00","LastModifiedTime":"2025-02-03T04:05:06.789+00:00","Arn":"arn:aws:events:us-east-1:111122223333:api-destination/hook/u-2"}
        """;

    private const string GoldenApiDestination = """
        {"v":1,"AccountId":"111122223333","Region":"us-east-1","Name":"hook","Uuid":"u-2","Description":"the hook","ConnectionArn":"arn:aws:events:us-east-1:111122223333:connection/hook/u-1","InvocationEndpoint":"https://hook.example/in","HttpMethod":"POST","InvocationRateLimitPerSecond":10,"EncryptedSigningSecret":"BQYH","CreationTime":"2025-01-02T03:04:05+00:00","LastModifiedTime":"2025-02-03T04:05:06.789+00:00"}
        """;

    internal const string LegacyVersion = """
        {"Type":"SecureString","KeyId":"alias/aws/ssm","Description":"the url","AllowedPattern":"^postgres://","Tier":"Advanced","DataType":"text","Policies":[{"Type":"Expiration","Text":"{\u0022Type\u0022:\u0022Expiration\u0022}","Status":"Pending"}],"LastModifiedDate":"2025-01-02T03:04:05+00:00","LastModifiedUser":"arn:aws:iam::111122223333:root"}
        """;

    private const string GoldenVersion = """
        {"v":1,"Type":"SecureString","KeyId":"alias/aws/ssm","Description":"the url","AllowedPattern":"^postgres://","Tier":"Advanced","DataType":"text","Policies":[{"Type":"Expiration","Text":"{\u0022Type\u0022:\u0022Expiration\u0022}","Status":"Pending"}],"LastModifiedDate":"2025-01-02T03:04:05+00:00","LastModifiedUser":"arn:aws:iam::111122223333:root"}
        """;

    internal const string LegacyTags = """
        [{"Key":"team","Value":"core"},{"Key":"env","Value":"prod"}]
        """;

    internal const string LegacyResourcePolicies = """
        [{"PolicyId":"p-1","PolicyHash":"h-1","Policy":"{\u0022Version\u0022:\u00222012-10-17\u0022}"}]
        """;

    [Fact]
    public void A_kms_key_document_from_before_versioning_reads_and_writing_one_gives_the_golden_document() =>
        Golden(DocumentSamples.KmsKey, LegacyKmsKey, GoldenKmsKey, KmsKeyDoc.Write, KmsKeyDoc.Read);

    [Fact]
    public void A_kms_grant_document_from_before_versioning_reads_and_writing_one_gives_the_golden_document() =>
        Golden(DocumentSamples.KmsGrant, LegacyKmsGrant, GoldenKmsGrant, KmsGrantDoc.Write, KmsGrantDoc.Read);

    [Fact]
    public void A_secret_document_from_before_versioning_reads_and_writing_one_gives_the_golden_document() =>
        Golden(DocumentSamples.Secret, LegacySecret, GoldenSecret, SecretDoc.Write, SecretDoc.Read);

    [Fact]
    public void A_function_document_from_before_versioning_reads_and_writing_one_gives_the_golden_document() =>
        Golden(DocumentSamples.Function, LegacyFunction, GoldenFunction, FunctionDoc.Write, FunctionDoc.Read);

    [Fact]
    public void An_iam_entity_document_from_before_versioning_reads_and_writing_one_gives_the_golden_document() =>
        Golden(DocumentSamples.IamRole, LegacyIamRole, GoldenIamRole, IamEntityDoc.Write, IamEntityDoc.Read);

    [Fact]
    public void A_managed_policy_document_from_before_versioning_reads_and_writing_one_gives_the_golden_document() =>
        Golden(DocumentSamples.ManagedPolicy, LegacyManagedPolicy, GoldenManagedPolicy, ManagedPolicyDoc.Write, ManagedPolicyDoc.Read);

    [Fact]
    public void An_event_rule_document_from_before_versioning_reads_and_writing_one_gives_the_golden_document() =>
        Golden(DocumentSamples.EventRule, LegacyEventRule, GoldenEventRule, EventRuleDoc.Write, EventRuleDoc.Read);

    [Fact]
    public void A_rule_target_document_from_before_versioning_reads_and_writing_one_gives_the_golden_document() =>
        Golden(DocumentSamples.RuleTarget, LegacyRuleTarget, GoldenRuleTarget, RuleTargetDoc.Write, RuleTargetDoc.Read);

    [Fact]
    public void An_event_connection_document_from_before_versioning_reads_and_writing_one_gives_the_golden_document() =>
        Golden(DocumentSamples.EventConnection, LegacyEventConnection, GoldenEventConnection, EventConnectionDoc.Write, EventConnectionDoc.Read);

    [Fact]
    public void An_api_destination_document_from_before_versioning_reads_and_writing_one_gives_the_golden_document() =>
        Golden(DocumentSamples.ApiDestination, LegacyApiDestination, GoldenApiDestination, ApiDestinationDoc.Write, ApiDestinationDoc.Read);

    [Fact]
    public void A_parameter_version_document_from_before_versioning_reads_and_writing_one_gives_the_golden_document()
    {
        var expected = DocumentSamples.ParameterVersion;
        Golden(expected, LegacyVersion, GoldenVersion, VersionDoc.Write, json => VersionDoc.Read(json, expected.Name, expected.Version, null, null));
    }

    [Fact]
    public void Parameter_tags_and_resource_policies_keep_their_names()
    {
        Golden(DocumentSamples.Tags, LegacyTags, LegacyTags, ParameterArrays.WriteTags, ParameterArrays.ReadTags);
        Golden(DocumentSamples.ParameterResourcePolicies, LegacyResourcePolicies, LegacyResourcePolicies, p => ParameterArrays.WritePolicies(p)!, ParameterArrays.ReadPolicies);
    }

    [Fact]
    public void Documents_without_their_optional_members_read_with_the_domain_defaults()
    {
        var keyId = Guid.Parse("1234abcd-12ab-34cd-56ef-1234567890ab");
        Assert.Equivalent(
            new Core.Kms.KmsKey { KeyId = keyId, AccountId = "a", Region = "r", CreationDate = DateTimeOffset.UnixEpoch, Policy = "p" },
            KmsKeyDoc.Read($$"""{"KeyId":"{{keyId}}","AccountId":"a","Region":"r","CreationDate":"1970-01-01T00:00:00+00:00","Policy":"p"}"""),
            strict: true);
        Assert.Equivalent(
            new Core.Functions.RegisteredFunction { AccountId = "a", Region = "r", Name = "f" },
            FunctionDoc.Read("""{"AccountId":"a","Region":"r","Name":"f"}"""),
            strict: true);
        Assert.Equivalent(
            new Core.Identity.IamEntity { Kind = Core.Identity.IamEntityKind.User, AccountId = "a", Name = "u", Id = "AIDA", Path = "/", Arn = "arn", CreateDate = DateTimeOffset.UnixEpoch },
            IamEntityDoc.Read("""{"Kind":"User","AccountId":"a","Name":"u","Id":"AIDA","Path":"/","Arn":"arn","CreateDate":"1970-01-01T00:00:00+00:00"}"""),
            strict: true);
        Assert.Equivalent(
            new Core.Events.EventRule { AccountId = "a", Region = "r", Name = "n", CreatedBy = "a" },
            EventRuleDoc.Read("""{"AccountId":"a","Region":"r","Name":"n","CreatedBy":"a"}"""),
            strict: true);
        Assert.Equivalent(
            new Core.Parameters.ParameterVersion { Name = "/p", Version = 1, Type = "String", Tier = "Standard", LastModifiedDate = DateTimeOffset.UnixEpoch, LastModifiedUser = "u" },
            VersionDoc.Read("""{"Type":"String","Tier":"Standard","LastModifiedDate":"1970-01-01T00:00:00+00:00","LastModifiedUser":"u"}""", "/p", 1, null, null),
            strict: true);
    }

    [Fact]
    public void A_document_from_a_newer_schema_is_refused_rather_than_read_with_members_dropped()
    {
        var error = Assert.Throws<InvalidDataException>(() => FunctionDoc.Read("""{"v":2,"AccountId":"a","Region":"r","Name":"f"}"""));
        Assert.Contains("functions.doc is at document version 2", error.Message, StringComparison.Ordinal);
    }

    private static void Golden<T>(T expected, string legacy, string golden, Func<T, string> write, Func<string, T> read)
    {
        Assert.Equivalent(expected, read(legacy), strict: true);
        Assert.Equal(golden, write(expected));
        Assert.Equivalent(expected, read(golden), strict: true);
    }
}
