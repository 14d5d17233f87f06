using Coffer.Core.Access;
using static Coffer.Core.Access.Decision;
using static Coffer.Core.Tests.Access.PolicyCase;

namespace Coffer.Core.Tests.Access;

/// <summary>The rows of the policy suite, by family. Each is evaluated through <see cref="PolicyAuthorizer"/>.</summary>
public static partial class PolicySuite
{
    private const string NoIdentity = "no identity-based policy allows";
    private const string NoResource = "no resource-based policy allows";
    private const string IdentityDeny = "explicit deny in an identity-based policy";
    private const string ResourceDeny = "explicit deny in a resource-based policy";

    private static IEnumerable<PolicyCase> Basics() =>
    [
        new("no policy at all is an implicit deny", ImplicitDeny) { Reason = NoIdentity },
        new("an allow of the exact action and resource", Allowed) { Identity = [Doc(Allow("ssm:GetParameter", DevParameter))] },
        new("actions match regardless of case", Allowed) { Identity = [Doc(Allow("SSM:getparameter", DevParameter))] },
        new("ARNs match with case", ImplicitDeny) { Identity = [Doc(Allow("ssm:GetParameter", DevParameter.Replace("/app/", "/APP/", StringComparison.Ordinal)))] },
        new("an allow of another action", ImplicitDeny) { Identity = [Doc(Allow("ssm:PutParameter"))], Reason = NoIdentity },
        new("an allow of the action on another resource", ImplicitDeny) { Identity = [Doc(Allow("ssm:GetParameter", ProdParameter))] },
        new("the service wildcard ssm:*", Allowed) { Identity = [Doc(Allow("ssm:*"))] },
        new("the action wildcard *", Allowed) { Identity = [Doc(Allow("*"))] },
        new("a prefix wildcard ssm:Get*", Allowed) { Identity = [Doc(Allow("ssm:Get*"))] },
        new("a prefix wildcard of another verb ssm:Put*", ImplicitDeny) { Identity = [Doc(Allow("ssm:Put*"))] },
        new("a single-character wildcard ssm:GetParamete?", Allowed) { Identity = [Doc(Allow("ssm:GetParamete?"))] },
        new("a single-character wildcard needs exactly one character", ImplicitDeny) { Identity = [Doc(Allow("ssm:GetParameter?"))] },
        new("a wildcard in the middle ssm:*Parameter", Allowed) { Identity = [Doc(Allow("ssm:*Parameter"))] },
        new("another service's wildcard kms:*", ImplicitDeny) { Identity = [Doc(Allow("kms:*"))] },
        new("an action list with the action", Allowed) { Identity = [Doc(Allow("""["ssm:PutParameter","ssm:GetParameter"]"""))] },
        new("a resource list with the resource", Allowed) { Identity = [Doc(Allow("ssm:GetParameter", $"""["{ProdParameter}","{DevParameter}"]"""))] },
        new("a path wildcard /app/dev/*", Allowed) { Identity = [Doc(Allow("ssm:GetParameter", "arn:aws:ssm:us-east-1:111122223333:parameter/app/dev/*"))] },
        new("a path wildcard of another stage /app/prod/*", ImplicitDeny) { Resource = DevParameter, Identity = [Doc(Allow("ssm:GetParameter", "arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/*"))] },
        new("a wildcard region field", Allowed) { Identity = [Doc(Allow("ssm:GetParameter", "arn:aws:ssm:*:111122223333:parameter/app/dev/db"))] },
        new("a wildcard in one field does not cross into the next", ImplicitDeny) { Identity = [Doc(Allow("ssm:GetParameter", "arn:aws:ssm:*::parameter/app/dev/db"))] },
        new("another account's ARN", ImplicitDeny) { Identity = [Doc(Allow("ssm:GetParameter", "arn:aws:ssm:us-east-1:444455556666:parameter/app/dev/db"))] },
        new("any account field *", Allowed) { Identity = [Doc(Allow("ssm:GetParameter", "arn:aws:ssm:us-east-1:*:parameter/app/*"))] },
        new("a ? in the resource field", Allowed) { Identity = [Doc(Allow("ssm:GetParameter", "arn:aws:ssm:us-east-1:111122223333:parameter/app/de?/db"))] },
        new("the allow is in a second policy", Allowed) { Identity = [Doc(Allow("kms:Decrypt")), Doc(Allow("ssm:GetParameter"))] },
        new("the allow is in a second statement", Allowed) { Identity = [Doc(Allow("kms:Decrypt"), Allow("ssm:GetParameter"))] },
        new("a single statement object, not a list", Allowed) { Identity = ["""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"*"}}"""] },
        new("a policy without Version (2008-10-17)", Allowed) { Identity = ["""{"Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"*"}]}"""] },
    ];

    private static IEnumerable<PolicyCase> DenyPrecedence() =>
    [
        new("a deny beats an allow in the same statement list", ExplicitDeny) { Identity = [Doc(Allow("ssm:*"), Deny("ssm:GetParameter"))], Reason = IdentityDeny },
        new("a deny beats an allow in another policy", ExplicitDeny) { Identity = [Doc(Allow("*")), Doc(Deny("ssm:GetParameter", ProdParameter))], Resource = ProdParameter },
        new("a deny of another resource leaves the allow", Allowed) { Identity = [Doc(Allow("ssm:*"), Deny("ssm:*", ProdParameter))] },
        new("a wildcard deny * beats everything", ExplicitDeny) { Identity = [Doc(Allow("ssm:GetParameter"), Deny("*"))] },
        new("a deny alone is still a deny", ExplicitDeny) { Identity = [Doc(Deny("ssm:GetParameter"))] },
        new("a deny whose condition does not hold leaves the allow", Allowed) { Identity = [Doc(Allow("ssm:*"), Deny("ssm:*", "*", """{"Bool":{"aws:SecureTransport":"false"}}"""))] },
        new("a deny whose condition holds", ExplicitDeny) { SecureTransport = false, Identity = [Doc(Allow("ssm:*"), Deny("ssm:*", "*", """{"Bool":{"aws:SecureTransport":"false"}}"""))] },
        new("a resource policy deny beats an identity allow", ExplicitDeny) { Identity = [Doc(Allow("ssm:*"))], ResourcePolicy = Doc(For("\"*\"", "Deny", "ssm:GetParameter")), Reason = ResourceDeny },
        new("an identity deny beats a resource policy allow", ExplicitDeny) { Identity = [Doc(Deny("ssm:GetParameter"))], ResourcePolicy = Doc(For(AwsPrincipal(Alice.Arn), "Allow", "ssm:GetParameter")), Reason = IdentityDeny },
        new("a resource deny of the account applies to its users", ExplicitDeny) { Identity = [Doc(Allow("*"))], ResourcePolicy = Doc(For(AwsPrincipal($"arn:aws:iam::{Account}:root"), "Deny", "*")) },
        new("a resource deny of another user does not apply", Allowed) { Identity = [Doc(Allow("*"))], ResourcePolicy = Doc(For(AwsPrincipal(Bob.Arn), "Deny", "*")) },
        new("the root is denied by a resource policy deny", ExplicitDeny) { Who = Root, ResourcePolicy = Doc(For("\"*\"", "Deny", "ssm:GetParameter")) },
        new("the root is not subject to identity policies", Allowed) { Who = Root, Identity = [Doc(Deny("*"))] },
        new("a deny of NotResource other than this one", ExplicitDeny) { Identity = [Doc(Allow("*"), Statement("Deny", "Action", "*", "NotResource", ProdParameter))] },
    ];

    private static IEnumerable<PolicyCase> NotActionAndNotResource() =>
    [
        new("NotAction allows every other action", Allowed) { Identity = [Doc(Statement("Allow", "NotAction", "iam:*", "Resource", "*"))] },
        new("NotAction excludes the listed action", ImplicitDeny) { Identity = [Doc(Statement("Allow", "NotAction", "ssm:GetParameter", "Resource", "*"))] },
        new("NotAction excludes by wildcard", ImplicitDeny) { Identity = [Doc(Statement("Allow", "NotAction", "ssm:*", "Resource", "*"))] },
        new("NotAction list excludes every listed action", ImplicitDeny) { Identity = [Doc(Statement("Allow", "NotAction", """["kms:*","ssm:Get*"]""", "Resource", "*"))] },
        new("a deny with NotAction denies the other actions", ExplicitDeny) { Identity = [Doc(Allow("*"), Statement("Deny", "NotAction", "kms:*", "Resource", "*"))] },
        new("a deny with NotAction spares the listed action", Allowed) { Identity = [Doc(Allow("*"), Statement("Deny", "NotAction", "ssm:GetParameter", "Resource", "*"))] },
        new("NotAction is case-insensitive", ImplicitDeny) { Identity = [Doc(Statement("Allow", "NotAction", "SSM:GETPARAMETER", "Resource", "*"))] },
        new("NotResource allows every other resource", Allowed) { Identity = [Doc(Statement("Allow", "Action", "ssm:*", "NotResource", ProdParameter))] },
        new("NotResource excludes the listed resource", ImplicitDeny) { Resource = ProdParameter, Identity = [Doc(Statement("Allow", "Action", "ssm:*", "NotResource", ProdParameter))] },
        new("NotResource excludes by wildcard", ImplicitDeny) { Identity = [Doc(Statement("Allow", "Action", "ssm:*", "NotResource", "arn:aws:ssm:*:*:parameter/app/*"))] },
        new("a deny with NotResource spares the listed resource", Allowed) { Identity = [Doc(Allow("*"), Statement("Deny", "Action", "*", "NotResource", DevParameter))] },
        new("NotAction with NotResource both hold", Allowed) { Identity = [Doc(Statement("Allow", "NotAction", "iam:*", "NotResource", ProdParameter))] },
        new("NotAction with NotResource, resource excluded", ImplicitDeny) { Resource = ProdParameter, Identity = [Doc(Statement("Allow", "NotAction", "iam:*", "NotResource", ProdParameter))] },
    ];

    private static IEnumerable<PolicyCase> StringConditions() =>
    [
        new("StringEquals holds", Allowed) { Identity = [Doc(Allow("*", "*", """{"StringEquals":{"aws:username":"alice"}}"""))] },
        new("StringEquals does not hold", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"StringEquals":{"aws:username":"bob"}}"""))] },
        new("StringEquals is case-sensitive", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"StringEquals":{"aws:username":"Alice"}}"""))] },
        new("StringEquals with values ORed", Allowed) { Identity = [Doc(Allow("*", "*", """{"StringEquals":{"aws:username":["bob","alice"]}}"""))] },
        new("StringEquals on a missing key is false", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"StringEquals":{"aws:ResourceTag/stage":"dev"}}"""))] },
        new("StringNotEquals holds", Allowed) { Identity = [Doc(Allow("*", "*", """{"StringNotEquals":{"aws:username":"bob"}}"""))] },
        new("StringNotEquals with values NORed", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"StringNotEquals":{"aws:username":["bob","alice"]}}"""))] },
        new("StringNotEquals on a missing key is true", Allowed) { Identity = [Doc(Allow("*", "*", """{"StringNotEquals":{"aws:ResourceTag/stage":"prod"}}"""))] },
        new("StringEqualsIgnoreCase holds across case", Allowed) { Identity = [Doc(Allow("*", "*", """{"StringEqualsIgnoreCase":{"aws:username":"ALICE"}}"""))] },
        new("StringNotEqualsIgnoreCase does not hold across case", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"StringNotEqualsIgnoreCase":{"aws:username":"ALICE"}}"""))] },
        new("StringLike with *", Allowed) { Identity = [Doc(Allow("*", "*", """{"StringLike":{"aws:username":"al*"}}"""))] },
        new("StringLike with ?", Allowed) { Identity = [Doc(Allow("*", "*", """{"StringLike":{"aws:username":"al?ce"}}"""))] },
        new("StringLike that does not match", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"StringLike":{"aws:username":"b*"}}"""))] },
        new("StringNotLike that matches", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"StringNotLike":{"aws:username":"a*"}}"""))] },
        new("StringNotLike that does not match", Allowed) { Identity = [Doc(Allow("*", "*", """{"StringNotLike":{"aws:username":"b*"}}"""))] },
        new("a service key from the request: kms:EncryptionContext", Allowed) { Keys = Ks(("kms:EncryptionContext:stage", "prod")), Identity = [Doc(Allow("*", "*", """{"StringEquals":{"kms:EncryptionContext:stage":"prod"}}"""))] },
        new("condition key names are case-insensitive", Allowed) { Keys = Ks(("kms:EncryptionContext:stage", "prod")), Identity = [Doc(Allow("*", "*", """{"StringEquals":{"KMS:encryptioncontext:STAGE":"prod"}}"""))] },
        new("secretsmanager:VersionStage from the request", Allowed) { Keys = Ks(("secretsmanager:VersionStage", "AWSCURRENT")), Identity = [Doc(Allow("*", "*", """{"StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}"""))] },
        new("secretsmanager:VersionStage of another stage", ImplicitDeny) { Keys = Ks(("secretsmanager:VersionStage", "AWSPENDING")), Identity = [Doc(Allow("*", "*", """{"StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}"""))] },
        new("aws:ResourceTag from the request", Allowed) { Keys = Ks(("aws:ResourceTag/stage", "dev")), Identity = [Doc(Allow("*", "*", """{"StringEquals":{"aws:ResourceTag/stage":"dev"}}"""))] },
        new("aws:RequestTag from the request", ImplicitDeny) { Keys = Ks(("aws:RequestTag/owner", "mallory")), Identity = [Doc(Allow("*", "*", """{"StringEquals":{"aws:RequestTag/owner":"alice"}}"""))] },
        new("aws:PrincipalTag from the principal", Allowed) { Tags = new Dictionary<string, string> { ["team"] = "payments" }, Identity = [Doc(Allow("*", "*", """{"StringEquals":{"aws:PrincipalTag/team":"payments"}}"""))] },
        new("aws:userid of a session", Allowed) { Who = Session, Identity = [Doc(Allow("*", "*", """{"StringLike":{"aws:userid":"AROAPROD:*"}}"""))] },
        new("aws:username is absent for a session", ImplicitDeny) { Who = Session, Identity = [Doc(Allow("*", "*", """{"StringLike":{"aws:username":"*"}}"""))] },
        new("aws:PrincipalType of a user", Allowed) { Identity = [Doc(Allow("*", "*", """{"StringEquals":{"aws:PrincipalType":"User"}}"""))] },
        new("aws:RequestedRegion", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}"""))] },
        new("a number in a string condition is its text", Allowed) { Keys = Ks(("ssm:Tier", "1")), Identity = [Doc(Allow("*", "*", """{"StringEquals":{"ssm:Tier":1}}"""))] },
    ];

    private static IEnumerable<PolicyCase> OtherConditionFamilies() =>
    [
        new("ArnEquals with the principal's ARN", Allowed) { Identity = [Doc(Allow("*", "*", $$$"""{"ArnEquals":{"aws:PrincipalArn":"{{{Alice.Arn}}}"}}"""))] },
        new("ArnLike with a wildcard resource field", Allowed) { Identity = [Doc(Allow("*", "*", """{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/*"}}"""))] },
        new("ArnLike is matched field by field", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/*"}}"""))] },
        new("ArnNotLike that does not match", Allowed) { Identity = [Doc(Allow("*", "*", """{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/*"}}"""))] },
        new("ArnNotEquals that matches", ImplicitDeny) { Identity = [Doc(Allow("*", "*", $$$"""{"ArnNotEquals":{"aws:PrincipalArn":"{{{Alice.Arn}}}"}}"""))] },
        new("aws:PrincipalArn of a session is its role", Allowed) { Who = Session, Identity = [Doc(Allow("*", "*", $$$"""{"ArnEquals":{"aws:PrincipalArn":"{{{Role}}}"}}"""))] },
        new("NumericLessThan holds", Allowed) { Keys = Ks(("app:count", "5")), Identity = [Doc(Allow("*", "*", """{"NumericLessThan":{"app:count":"10"}}"""))] },
        new("NumericLessThan does not hold", ImplicitDeny) { Keys = Ks(("app:count", "15")), Identity = [Doc(Allow("*", "*", """{"NumericLessThan":{"app:count":"10"}}"""))] },
        new("NumericLessThanEquals at the limit", Allowed) { Keys = Ks(("app:count", "10")), Identity = [Doc(Allow("*", "*", """{"NumericLessThanEquals":{"app:count":10}}"""))] },
        new("NumericGreaterThan holds", Allowed) { Keys = Ks(("app:count", "10.5")), Identity = [Doc(Allow("*", "*", """{"NumericGreaterThan":{"app:count":"10"}}"""))] },
        new("NumericGreaterThanEquals does not hold", ImplicitDeny) { Keys = Ks(("app:count", "9")), Identity = [Doc(Allow("*", "*", """{"NumericGreaterThanEquals":{"app:count":"10"}}"""))] },
        new("NumericEquals compares numbers, not text", Allowed) { Keys = Ks(("app:count", "10.0")), Identity = [Doc(Allow("*", "*", """{"NumericEquals":{"app:count":"10"}}"""))] },
        new("NumericNotEquals holds", Allowed) { Keys = Ks(("app:count", "3")), Identity = [Doc(Allow("*", "*", """{"NumericNotEquals":{"app:count":"10"}}"""))] },
        new("a request value that is not a number does not match", ImplicitDeny) { Keys = Ks(("app:count", "many")), Identity = [Doc(Allow("*", "*", """{"NumericGreaterThan":{"app:count":"1"}}"""))] },
        new("DateLessThan on aws:CurrentTime holds", Allowed) { Identity = [Doc(Allow("*", "*", """{"DateLessThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"}}"""))] },
        new("DateLessThan on aws:CurrentTime has passed", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"DateLessThan":{"aws:CurrentTime":"2025-12-31T23:59:59Z"}}"""))] },
        new("DateGreaterThan holds", Allowed) { Identity = [Doc(Allow("*", "*", """{"DateGreaterThan":{"aws:CurrentTime":"2026-01-15T11:59:59Z"}}"""))] },
        new("DateGreaterThanEquals at the instant", Allowed) { Identity = [Doc(Allow("*", "*", """{"DateGreaterThanEquals":{"aws:CurrentTime":"2026-01-15T12:00:00Z"}}"""))] },
        new("DateLessThanEquals does not hold", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"DateLessThanEquals":{"aws:CurrentTime":"2026-01-15T11:00:00Z"}}"""))] },
        new("DateEquals with epoch seconds", Allowed) { Identity = [Doc(Allow("*", "*", """{"DateEquals":{"aws:CurrentTime":"1768478400"}}"""))] },
        new("DateNotEquals holds", Allowed) { Identity = [Doc(Allow("*", "*", """{"DateNotEquals":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"""))] },
        new("aws:EpochTime with a numeric operator", Allowed) { Identity = [Doc(Allow("*", "*", """{"NumericGreaterThan":{"aws:EpochTime":"1700000000"}}"""))] },
        new("Bool on aws:SecureTransport true", Allowed) { Identity = [Doc(Allow("*", "*", """{"Bool":{"aws:SecureTransport":"true"}}"""))] },
        new("Bool on aws:SecureTransport over plain HTTP", ImplicitDeny) { SecureTransport = false, Identity = [Doc(Allow("*", "*", """{"Bool":{"aws:SecureTransport":"true"}}"""))] },
        new("Bool with a JSON boolean", Allowed) { Identity = [Doc(Allow("*", "*", """{"Bool":{"aws:SecureTransport":true}}"""))] },
        new("Bool is case-insensitive", Allowed) { Identity = [Doc(Allow("*", "*", """{"Bool":{"aws:SecureTransport":"TRUE"}}"""))] },
        new("Bool on a missing key is false", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"""))] },
        new("BinaryEquals compares base64 text", Allowed) { Keys = Ks(("app:blob", "QmluYXJ5")), Identity = [Doc(Allow("*", "*", """{"BinaryEquals":{"app:blob":"QmluYXJ5"}}"""))] },
        new("IpAddress in a CIDR block", Allowed) { Identity = [Doc(Allow("*", "*", """{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"""))] },
        new("IpAddress outside the block", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"IpAddress":{"aws:SourceIp":"198.51.100.0/24"}}"""))] },
        new("IpAddress of a single address", Allowed) { Identity = [Doc(Allow("*", "*", """{"IpAddress":{"aws:SourceIp":"203.0.113.10"}}"""))] },
        new("IpAddress with several blocks ORed", Allowed) { Identity = [Doc(Allow("*", "*", """{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","203.0.113.0/24"]}}"""))] },
        new("IpAddress of IPv6", Allowed) { SourceIp = "2001:db8::5", Identity = [Doc(Allow("*", "*", """{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}"""))] },
        new("NotIpAddress inside the block", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"""))] },
        new("a deny from outside the office network", ExplicitDeny) { SourceIp = "198.51.100.7", Identity = [Doc(Allow("*"), Deny("*", "*", """{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"""))] },
        new("IpAddress with no source address is false", ImplicitDeny) { SourceIp = null, Identity = [Doc(Allow("*", "*", """{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"""))] },
        new("Null true for a missing key", Allowed) { Identity = [Doc(Allow("*", "*", """{"Null":{"aws:ResourceTag/stage":"true"}}"""))] },
        new("Null true for a present key", ImplicitDeny) { Keys = Ks(("aws:ResourceTag/stage", "dev")), Identity = [Doc(Allow("*", "*", """{"Null":{"aws:ResourceTag/stage":"true"}}"""))] },
        new("Null false for a present key", Allowed) { Keys = Ks(("aws:ResourceTag/stage", "dev")), Identity = [Doc(Allow("*", "*", """{"Null":{"aws:ResourceTag/stage":"false"}}"""))] },
        new("Null false for a missing key", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"Null":{"aws:ResourceTag/stage":false}}"""))] },
    ];

    private static IEnumerable<PolicyCase> IfExistsAndSets() =>
    [
        new("StringEqualsIfExists on a missing key is true", Allowed) { Identity = [Doc(Allow("*", "*", """{"StringEqualsIfExists":{"aws:ResourceTag/stage":"dev"}}"""))] },
        new("StringEqualsIfExists on a present key that differs", ImplicitDeny) { Keys = Ks(("aws:ResourceTag/stage", "prod")), Identity = [Doc(Allow("*", "*", """{"StringEqualsIfExists":{"aws:ResourceTag/stage":"dev"}}"""))] },
        new("StringEqualsIfExists on a present key that matches", Allowed) { Keys = Ks(("aws:ResourceTag/stage", "dev")), Identity = [Doc(Allow("*", "*", """{"StringEqualsIfExists":{"aws:ResourceTag/stage":"dev"}}"""))] },
        new("NumericLessThanIfExists on a missing key", Allowed) { Identity = [Doc(Allow("*", "*", """{"NumericLessThanIfExists":{"app:count":"1"}}"""))] },
        new("DateLessThanIfExists on a present key", ImplicitDeny) { Keys = Ks(("app:until", "2030-01-01T00:00:00Z")), Identity = [Doc(Allow("*", "*", """{"DateLessThanIfExists":{"app:until":"2029-01-01T00:00:00Z"}}"""))] },
        new("BoolIfExists on a missing key", Allowed) { Identity = [Doc(Allow("*", "*", """{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}"""))] },
        new("IpAddressIfExists without a source address", Allowed) { SourceIp = null, Identity = [Doc(Allow("*", "*", """{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}"""))] },
        new("ArnLikeIfExists on a missing key", Allowed) { Identity = [Doc(Allow("*", "*", """{"ArnLikeIfExists":{"app:source":"arn:aws:lambda:*"}}"""))] },
        new("a deny with StringNotEqualsIfExists on a missing key denies", ExplicitDeny) { Identity = [Doc(Allow("*"), Deny("*", "*", """{"StringNotEqualsIfExists":{"aws:ResourceTag/stage":"dev"}}"""))] },
        new("ForAllValues: every request value is listed", Allowed) { Keys = Ks(("aws:TagKeys", "stage", "owner")), Identity = [Doc(Allow("*", "*", """{"ForAllValues:StringEquals":{"aws:TagKeys":["stage","owner","team"]}}"""))] },
        new("ForAllValues: one request value is not listed", ImplicitDeny) { Keys = Ks(("aws:TagKeys", "stage", "cost")), Identity = [Doc(Allow("*", "*", """{"ForAllValues:StringEquals":{"aws:TagKeys":["stage","owner"]}}"""))] },
        new("ForAllValues: a missing key is true", Allowed) { Identity = [Doc(Allow("*", "*", """{"ForAllValues:StringEquals":{"aws:TagKeys":["stage"]}}"""))] },
        new("ForAllValues:StringLike with wildcards", Allowed) { Keys = Ks(("aws:TagKeys", "app-a", "app-b")), Identity = [Doc(Allow("*", "*", """{"ForAllValues:StringLike":{"aws:TagKeys":"app-*"}}"""))] },
        new("ForAllValues:StringNotEquals: no request value is listed", Allowed) { Keys = Ks(("aws:TagKeys", "stage", "owner")), Identity = [Doc(Allow("*", "*", """{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}"""))] },
        new("ForAllValues:StringNotEquals: one request value is listed", ImplicitDeny) { Keys = Ks(("aws:TagKeys", "stage", "secret")), Identity = [Doc(Allow("*", "*", """{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}"""))] },
        new("ForAnyValue: one request value is listed", Allowed) { Keys = Ks(("aws:TagKeys", "cost", "stage")), Identity = [Doc(Allow("*", "*", """{"ForAnyValue:StringEquals":{"aws:TagKeys":["stage"]}}"""))] },
        new("ForAnyValue: no request value is listed", ImplicitDeny) { Keys = Ks(("aws:TagKeys", "cost", "team")), Identity = [Doc(Allow("*", "*", """{"ForAnyValue:StringEquals":{"aws:TagKeys":["stage"]}}"""))] },
        new("ForAnyValue: a missing key is false", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"ForAnyValue:StringEquals":{"aws:TagKeys":["stage"]}}"""))] },
        new("ForAnyValue:StringNotEquals: one value is not listed", Allowed) { Keys = Ks(("aws:TagKeys", "stage", "cost")), Identity = [Doc(Allow("*", "*", """{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["stage"]}}"""))] },
        new("a deny ForAnyValue on a forbidden tag key", ExplicitDeny) { Keys = Ks(("aws:TagKeys", "owner", "admin")), Identity = [Doc(Allow("*"), Deny("*", "*", """{"ForAnyValue:StringEquals":{"aws:TagKeys":["admin"]}}"""))] },
        new("ForAnyValue:StringEqualsIfExists on a missing key", Allowed) { Identity = [Doc(Allow("*", "*", """{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["stage"]}}"""))] },
        new("kms:EncryptionContextKeys with ForAllValues", Allowed) { Keys = Ks(("kms:EncryptionContextKeys", "PARAMETER_ARN")), Identity = [Doc(Allow("*", "*", """{"ForAllValues:StringEquals":{"kms:EncryptionContextKeys":["PARAMETER_ARN","SecretARN"]}}"""))] },
        new("two operators are ANDed: both hold", Allowed) { Identity = [Doc(Allow("*", "*", """{"StringEquals":{"aws:username":"alice"},"Bool":{"aws:SecureTransport":"true"}}"""))] },
        new("two operators are ANDed: one fails", ImplicitDeny) { SecureTransport = false, Identity = [Doc(Allow("*", "*", """{"StringEquals":{"aws:username":"alice"},"Bool":{"aws:SecureTransport":"true"}}"""))] },
        new("two keys under one operator are ANDed", ImplicitDeny) { Identity = [Doc(Allow("*", "*", """{"StringEquals":{"aws:username":"alice","aws:PrincipalType":"AssumedRole"}}"""))] },
        new("a single-valued operator on a multi-valued key matches any value", Allowed) { Keys = Ks(("aws:TagKeys", "a", "stage")), Identity = [Doc(Allow("*", "*", """{"StringEquals":{"aws:TagKeys":"stage"}}"""))] },
    ];

    /// <summary>Identity policies on Secrets Manager's condition keys, as SecretService supplies them: the secret's ARN,
    /// the stage asked for (none for a read by version id alone), and its tags under both tag prefixes.</summary>
    private static IEnumerable<PolicyCase> SecretConditions() =>
    [
        new("secretsmanager:ResourceTag allows the tagged secret", Allowed) { Action = "secretsmanager:GetSecretValue", Resource = Secret, Keys = Ks(("secretsmanager:ResourceTag/stage", "dev"), ("aws:ResourceTag/stage", "dev")), Identity = [Doc(Allow("secretsmanager:GetSecretValue", "*", """{"StringEquals":{"secretsmanager:ResourceTag/stage":"dev"}}"""))] },
        new("secretsmanager:ResourceTag of another stage", ImplicitDeny) { Action = "secretsmanager:GetSecretValue", Resource = Secret, Keys = Ks(("secretsmanager:ResourceTag/stage", "prod"), ("aws:ResourceTag/stage", "prod")), Identity = [Doc(Allow("secretsmanager:GetSecretValue", "*", """{"StringEquals":{"secretsmanager:ResourceTag/stage":"dev"}}"""))], Reason = NoIdentity },
        new("secretsmanager:ResourceTag on an untagged secret", ImplicitDeny) { Action = "secretsmanager:GetSecretValue", Resource = Secret, Keys = Ks(("secretsmanager:SecretId", Secret)), Identity = [Doc(Allow("secretsmanager:GetSecretValue", "*", """{"StringEquals":{"secretsmanager:ResourceTag/stage":"dev"}}"""))] },
        new("a deny on secretsmanager:ResourceTag beats secretsmanager:*", ExplicitDeny) { Action = "secretsmanager:GetSecretValue", Resource = Secret, Keys = Ks(("secretsmanager:ResourceTag/stage", "prod")), Identity = [Doc(Allow("secretsmanager:*"), Deny("secretsmanager:GetSecretValue", "*", """{"StringEquals":{"secretsmanager:ResourceTag/stage":"prod"}}"""))], Reason = IdentityDeny },
        new("a tag condition and a stage condition are ANDed", ImplicitDeny) { Action = "secretsmanager:GetSecretValue", Resource = Secret, Keys = Ks(("secretsmanager:ResourceTag/stage", "dev"), ("secretsmanager:VersionStage", "AWSPREVIOUS")), Identity = [Doc(Allow("secretsmanager:GetSecretValue", "*", """{"StringEquals":{"secretsmanager:ResourceTag/stage":"dev","secretsmanager:VersionStage":"AWSCURRENT"}}"""))] },
        new("an allow of AWSCURRENT does not allow AWSPREVIOUS", ImplicitDeny) { Action = "secretsmanager:GetSecretValue", Resource = Secret, Keys = Ks(("secretsmanager:VersionStage", "AWSPREVIOUS")), Identity = [Doc(Allow("secretsmanager:GetSecretValue", Secret, """{"StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}"""))], Reason = NoIdentity },
        new("a read by version id alone has no secretsmanager:VersionStage", ImplicitDeny) { Action = "secretsmanager:GetSecretValue", Resource = Secret, Keys = Ks(("secretsmanager:SecretId", Secret)), Identity = [Doc(Allow("secretsmanager:GetSecretValue", Secret, """{"StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}"""))] },
        new("a deny of reads that name no stage (Null)", ExplicitDeny) { Action = "secretsmanager:GetSecretValue", Resource = Secret, Keys = Ks(("secretsmanager:SecretId", Secret)), Identity = [Doc(Allow("secretsmanager:GetSecretValue"), Deny("secretsmanager:GetSecretValue", "*", """{"Null":{"secretsmanager:VersionStage":"true"}}"""))], Reason = IdentityDeny },
        new("a deny of AWSPREVIOUS spares AWSCURRENT", Allowed) { Action = "secretsmanager:GetSecretValue", Resource = Secret, Keys = Ks(("secretsmanager:VersionStage", "AWSCURRENT")), Identity = [Doc(Allow("secretsmanager:GetSecretValue"), Deny("secretsmanager:GetSecretValue", "*", """{"StringEquals":{"secretsmanager:VersionStage":"AWSPREVIOUS"}}"""))] },
        new("secretsmanager:SecretId with ArnLike", Allowed) { Action = "secretsmanager:DescribeSecret", Resource = Secret, Keys = Ks(("secretsmanager:SecretId", Secret)), Identity = [Doc(Allow("secretsmanager:DescribeSecret", "*", """{"ArnLike":{"secretsmanager:SecretId":"arn:aws:secretsmanager:*:111122223333:secret:prod/*"}}"""))] },
        new("secretsmanager:SecretId of another secret", ImplicitDeny) { Action = "secretsmanager:DescribeSecret", Resource = Secret, Keys = Ks(("secretsmanager:SecretId", Secret)), Identity = [Doc(Allow("secretsmanager:DescribeSecret", "*", """{"ArnLike":{"secretsmanager:SecretId":"arn:aws:secretsmanager:*:111122223333:secret:dev/*"}}"""))] },
    ];

    private static IEnumerable<PolicyCase> PolicyVariables() =>
    [
        new("${aws:username} in a resource", Allowed) { Resource = "arn:aws:ssm:us-east-1:111122223333:parameter/home/alice/token", Identity = [Doc(Allow("ssm:*", "arn:aws:ssm:*:*:parameter/home/${aws:username}/*"))] },
        new("${aws:username} in a resource of another user", ImplicitDeny) { Resource = "arn:aws:ssm:us-east-1:111122223333:parameter/home/bob/token", Identity = [Doc(Allow("ssm:*", "arn:aws:ssm:*:*:parameter/home/${aws:username}/*"))] },
        new("${aws:username} does not exist for a session", ImplicitDeny) { Who = Session, Resource = "arn:aws:ssm:us-east-1:111122223333:parameter/home/fn-1/token", Identity = [Doc(Allow("ssm:*", "arn:aws:ssm:*:*:parameter/home/${aws:username}/*"))] },
        new("a variable with a default value", Allowed) { Who = Session, Resource = "arn:aws:ssm:us-east-1:111122223333:parameter/home/shared/token", Identity = [Doc(Allow("ssm:*", "arn:aws:ssm:*:*:parameter/home/${aws:username, 'shared'}/*"))] },
        new("a variable in a condition value", Allowed) { Keys = Ks(("ssm:owner", "alice")), Identity = [Doc(Allow("*", "*", """{"StringEquals":{"ssm:owner":"${aws:username}"}}"""))] },
        new("${aws:PrincipalTag/team} in a resource", Allowed) { Tags = new Dictionary<string, string> { ["team"] = "dev" }, Identity = [Doc(Allow("ssm:*", "arn:aws:ssm:*:*:parameter/app/${aws:PrincipalTag/team}/*"))] },
        new("variables are literal text in a 2008-10-17 policy", ImplicitDeny) { Resource = "arn:aws:ssm:us-east-1:111122223333:parameter/home/alice/token", Identity = ["""{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"ssm:*","Resource":"arn:aws:ssm:*:*:parameter/home/${aws:username}/*"}]}"""] },
        new("${*} is a literal asterisk", ImplicitDeny) { Identity = [Doc(Allow("ssm:*", "arn:aws:ssm:us-east-1:111122223333:parameter/app/dev/${*}"))] },
    ];
}
