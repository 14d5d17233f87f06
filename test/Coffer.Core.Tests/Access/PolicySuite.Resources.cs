using Coffer.Core.Access;
using static Coffer.Core.Access.Decision;
using static Coffer.Core.Tests.Access.PolicyCase;

namespace Coffer.Core.Tests.Access;

public static partial class PolicySuite
{
    private static string AccountRoot => AwsPrincipal($"arn:aws:iam::{Account}:root");
    private static string DefaultKeyPolicy => Doc(For(AccountRoot, "Allow", "kms:*"));

    private static IEnumerable<PolicyCase> ResourcePolicies() =>
    [
        new("a secret policy naming the user allows without an identity policy", Allowed) { Action = "secretsmanager:GetSecretValue", Resource = Secret, ResourcePolicy = Doc(For(AwsPrincipal(Alice.Arn), "Allow", "secretsmanager:GetSecretValue")) },
        new("a secret policy naming another user does not", ImplicitDeny) { Action = "secretsmanager:GetSecretValue", Resource = Secret, ResourcePolicy = Doc(For(AwsPrincipal(Bob.Arn), "Allow", "secretsmanager:GetSecretValue")), Reason = NoIdentity },
        new("a secret policy with Principal * allows", Allowed) { Action = "secretsmanager:GetSecretValue", Resource = Secret, ResourcePolicy = Doc(For("\"*\"", "Allow", "secretsmanager:GetSecretValue")) },
        new("a secret policy with {AWS: *} allows", Allowed) { Action = "secretsmanager:GetSecretValue", Resource = Secret, ResourcePolicy = Doc(For(AwsPrincipal("*"), "Allow", "secretsmanager:GetSecretValue")) },
        new("a secret policy naming the account delegates to identity policies", ImplicitDeny) { Action = "secretsmanager:GetSecretValue", Resource = Secret, ResourcePolicy = Doc(For(AccountRoot, "Allow", "secretsmanager:*")) },
        new("a secret policy naming the account by id", ImplicitDeny) { Action = "secretsmanager:GetSecretValue", Resource = Secret, ResourcePolicy = Doc(For($$"""{"AWS":"{{Account}}"}""", "Allow", "secretsmanager:*")) },
        new("an identity allow suffices in the same account", Allowed) { Action = "secretsmanager:GetSecretValue", Resource = Secret, Identity = [Doc(Allow("secretsmanager:GetSecretValue"))], ResourcePolicy = Doc(For(AwsPrincipal(Bob.Arn), "Allow", "secretsmanager:*")) },
        new("a resource statement for another action does not allow", ImplicitDeny) { Action = "secretsmanager:GetSecretValue", Resource = Secret, ResourcePolicy = Doc(For(AwsPrincipal(Alice.Arn), "Allow", "secretsmanager:DescribeSecret")) },
        new("a resource statement's condition applies", ImplicitDeny) { Action = "secretsmanager:GetSecretValue", Resource = Secret, Keys = Ks(("secretsmanager:VersionStage", "AWSPREVIOUS")), ResourcePolicy = Doc(For(AwsPrincipal(Alice.Arn), "Allow", "secretsmanager:GetSecretValue", "*", """{"StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}""")) },
        new("a resource statement's condition holds", Allowed) { Action = "secretsmanager:GetSecretValue", Resource = Secret, Keys = Ks(("secretsmanager:VersionStage", "AWSCURRENT")), ResourcePolicy = Doc(For(AwsPrincipal(Alice.Arn), "Allow", "secretsmanager:GetSecretValue", "*", """{"StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}""")) },
        new("a resource policy naming the role allows its session", Allowed) { Who = Session, Action = "secretsmanager:GetSecretValue", Resource = Secret, ResourcePolicy = Doc(For(AwsPrincipal(Role), "Allow", "secretsmanager:GetSecretValue")) },
        new("a resource policy naming the exact session allows it", Allowed) { Who = Session, Action = "secretsmanager:GetSecretValue", Resource = Secret, ResourcePolicy = Doc(For(AwsPrincipal(Session.Arn), "Allow", "secretsmanager:GetSecretValue")) },
        new("a resource policy naming another role", ImplicitDeny) { Who = Session, Action = "secretsmanager:GetSecretValue", Resource = Secret, ResourcePolicy = Doc(For(AwsPrincipal("arn:aws:iam::111122223333:role/dev-fn"), "Allow", "secretsmanager:GetSecretValue")) },
        new("NotPrincipal allows everyone else", Allowed) { Action = "secretsmanager:GetSecretValue", Resource = Secret, ResourcePolicy = Doc(Statement("Allow", "Action", "secretsmanager:*", "Resource", "*", null, null).Replace("}", ",\"NotPrincipal\":" + AwsPrincipal(Bob.Arn) + "}")) },
        new("a deny with NotPrincipal spares the named principal", Allowed) { Action = "secretsmanager:GetSecretValue", Resource = Secret, Identity = [Doc(Allow("*"))], ResourcePolicy = Doc(Statement("Deny", "Action", "*", "Resource", "*").Replace("}", ",\"NotPrincipal\":" + AwsPrincipal(Alice.Arn) + "}")) },
        new("a deny with NotPrincipal denies everyone else", ExplicitDeny) { Who = Bob, Action = "secretsmanager:GetSecretValue", Resource = Secret, Identity = [Doc(Allow("*"))], ResourcePolicy = Doc(Statement("Deny", "Action", "*", "Resource", "*").Replace("}", ",\"NotPrincipal\":" + AwsPrincipal(Alice.Arn) + "}")) },
        new("the root is allowed through a resource policy that does not name it", Allowed) { Who = Root, Action = "secretsmanager:GetSecretValue", Resource = Secret, ResourcePolicy = Doc(For(AwsPrincipal(Bob.Arn), "Allow", "*")) },
        new("the root needs no policy for its own account's resources", Allowed) { Who = Root },
        new("a service principal named by a resource policy", Allowed) { Who = Lambda, Action = "secretsmanager:GetSecretValue", Resource = Secret, ResourcePolicy = Doc(For("""{"Service":"lambda.amazonaws.com"}""", "Allow", "*")) },
        new("a resource policy with a Resource of another secret", ImplicitDeny) { Action = "secretsmanager:GetSecretValue", Resource = Secret, ResourcePolicy = Doc(For(AwsPrincipal(Alice.Arn), "Allow", "*", "arn:aws:secretsmanager:us-east-1:111122223333:secret:other-*")) },
    ];

    private static IEnumerable<PolicyCase> KeyPolicies() =>
    [
        new("the default key policy delegates to an identity allow", Allowed) { Action = "kms:Decrypt", Resource = Key, Identity = [Doc(Allow("kms:Decrypt"))], ResourcePolicy = DefaultKeyPolicy },
        new("the default key policy without an identity allow", ImplicitDeny) { Action = "kms:Decrypt", Resource = Key, ResourcePolicy = DefaultKeyPolicy, Reason = NoIdentity },
        new("the default key policy admits the root", Allowed) { Who = Root, Action = "kms:ScheduleKeyDeletion", Resource = Key, ResourcePolicy = DefaultKeyPolicy },
        new("a key policy that does not name the account: the root is locked out", ImplicitDeny) { Who = Root, Action = "kms:Decrypt", Resource = Key, ResourcePolicy = Doc(For(AwsPrincipal(Alice.Arn), "Allow", "kms:*")), Reason = NoResource },
        new("a key policy that does not delegate: an identity allow has no effect", ImplicitDeny) { Who = Bob, Action = "kms:Decrypt", Resource = Key, Identity = [Doc(Allow("kms:*"))], ResourcePolicy = Doc(For(AwsPrincipal(Alice.Arn), "Allow", "kms:*")), Reason = NoResource },
        new("a key policy naming the user allows without an identity policy", Allowed) { Action = "kms:Decrypt", Resource = Key, ResourcePolicy = Doc(For(AwsPrincipal(Alice.Arn), "Allow", "kms:Decrypt")) },
        new("a key administrator may manage the key", Allowed) { Action = "kms:DisableKey", Resource = Key, ResourcePolicy = Doc(For(AwsPrincipal(Alice.Arn), "Allow", """["kms:Create*","kms:Describe*","kms:Enable*","kms:List*","kms:Put*","kms:Update*","kms:Revoke*","kms:Disable*","kms:Get*","kms:Delete*","kms:TagResource","kms:UntagResource","kms:ScheduleKeyDeletion","kms:CancelKeyDeletion"]""")) },
        new("a key administrator may not decrypt with it", ImplicitDeny) { Action = "kms:Decrypt", Resource = Key, ResourcePolicy = Doc(For(AwsPrincipal(Alice.Arn), "Allow", """["kms:Create*","kms:Describe*","kms:Enable*","kms:List*","kms:Put*","kms:Update*","kms:Revoke*","kms:Disable*","kms:Get*","kms:Delete*","kms:TagResource","kms:UntagResource","kms:ScheduleKeyDeletion","kms:CancelKeyDeletion"]""")) },
        new("a key administrator allowed kms:* by IAM still may not decrypt", ImplicitDeny) { Action = "kms:Decrypt", Resource = Key, Identity = [Doc(Allow("kms:*"))], ResourcePolicy = Doc(For(AwsPrincipal(Alice.Arn), "Allow", "kms:Disable*")) },
        new("a key policy deny beats the delegation", ExplicitDeny) { Action = "kms:Decrypt", Resource = Key, Identity = [Doc(Allow("kms:*"))], ResourcePolicy = Doc(For(AccountRoot, "Allow", "kms:*"), For(AwsPrincipal(Alice.Arn), "Deny", "kms:Decrypt")) },
        new("an identity deny beats the key policy", ExplicitDeny) { Action = "kms:Decrypt", Resource = Key, Identity = [Doc(Deny("kms:Decrypt", Key))], ResourcePolicy = Doc(For(AwsPrincipal(Alice.Arn), "Allow", "kms:*")) },
        new("a key policy allowing the role allows its session", Allowed) { Who = Session, Action = "kms:Decrypt", Resource = Key, ResourcePolicy = Doc(For(AwsPrincipal(Role), "Allow", "kms:Decrypt")) },
        new("an encryption context condition in the key policy holds", Allowed) { Action = "kms:Decrypt", Resource = Key, Keys = Ks(("kms:EncryptionContext:PARAMETER_ARN", ProdParameter)), ResourcePolicy = Doc(For(AwsPrincipal(Alice.Arn), "Allow", "kms:Decrypt", "*", """{"StringLike":{"kms:EncryptionContext:PARAMETER_ARN":"arn:aws:ssm:*:*:parameter/app/prod/*"}}""")) },
        new("an encryption context condition in the key policy fails", ImplicitDeny) { Action = "kms:Decrypt", Resource = Key, Keys = Ks(("kms:EncryptionContext:PARAMETER_ARN", DevParameter)), ResourcePolicy = Doc(For(AwsPrincipal(Alice.Arn), "Allow", "kms:Decrypt", "*", """{"StringLike":{"kms:EncryptionContext:PARAMETER_ARN":"arn:aws:ssm:*:*:parameter/app/prod/*"}}""")) },
        new("an AWS managed key through its service", Allowed) { Action = "kms:Decrypt", Resource = Key, Keys = Ks(("kms:CallerAccount", Account), ("kms:ViaService", "ssm.us-east-1.amazonaws.com")), ResourcePolicy = Doc(For(AwsPrincipal("*"), "Allow", "kms:Decrypt", "*", $$$"""{"StringEquals":{"kms:CallerAccount":"{{{Account}}}","kms:ViaService":"ssm.us-east-1.amazonaws.com"}}""")) },
        new("an AWS managed key used directly", ImplicitDeny) { Action = "kms:Decrypt", Resource = Key, Identity = [Doc(Allow("kms:*"))], Keys = Ks(("kms:CallerAccount", Account)), ResourcePolicy = Doc(For(AwsPrincipal("*"), "Allow", "kms:Decrypt", "*", $$$"""{"StringEquals":{"kms:CallerAccount":"{{{Account}}}","kms:ViaService":"ssm.us-east-1.amazonaws.com"}}""")) },
        new("a KMS key without any key policy", ImplicitDeny) { Action = "kms:Decrypt", Resource = Key, Identity = [Doc(Allow("kms:*"))], Reason = NoResource },
        new("kms:CreateKey on * needs only IAM", Allowed) { Action = "kms:CreateKey", Resource = "*", Identity = [Doc(Allow("kms:CreateKey"))] },
        new("kms:CreateKey with a forbidden tag", ExplicitDeny) { Action = "kms:CreateKey", Resource = "*", Keys = Ks(("aws:RequestTag/stage", "prod")), Identity = [Doc(Allow("kms:*"), Deny("kms:CreateKey", "*", """{"StringEquals":{"aws:RequestTag/stage":"prod"}}"""))] },
        new("a key allowed by its tag (ABAC)", Allowed) { Action = "kms:Decrypt", Resource = Key, Keys = Ks(("aws:ResourceTag/stage", "dev")), Identity = [Doc(Allow("kms:Decrypt", "*", """{"StringEquals":{"aws:ResourceTag/stage":"dev"}}"""))], ResourcePolicy = DefaultKeyPolicy },
    ];

    private static IEnumerable<PolicyCase> TrustPolicies() =>
    [
        new("a trust policy naming the user allows AssumeRole without an identity policy", Allowed) { Action = "sts:AssumeRole", Resource = Role, ResourcePolicy = TrustOf(AwsPrincipal(Alice.Arn)) },
        new("a trust policy naming the account needs an identity allow", ImplicitDeny) { Action = "sts:AssumeRole", Resource = Role, ResourcePolicy = TrustOf(AccountRoot), Reason = NoIdentity },
        new("a trust policy naming the account with an identity allow", Allowed) { Action = "sts:AssumeRole", Resource = Role, Identity = [Doc(Allow("sts:AssumeRole", Role))], ResourcePolicy = TrustOf(AccountRoot) },
        new("an identity allow is not enough when the trust policy names someone else", ImplicitDeny) { Action = "sts:AssumeRole", Resource = Role, Identity = [Doc(Allow("sts:AssumeRole"))], ResourcePolicy = TrustOf(AwsPrincipal(Bob.Arn)), Reason = NoResource },
        new("a trust policy for lambda admits the service", Allowed) { Who = Lambda, Action = "sts:AssumeRole", Resource = Role, ResourcePolicy = TrustOf("""{"Service":"lambda.amazonaws.com"}""") },
        new("a trust policy for lambda does not admit users", ImplicitDeny) { Action = "sts:AssumeRole", Resource = Role, Identity = [Doc(Allow("*"))], ResourcePolicy = TrustOf("""{"Service":"lambda.amazonaws.com"}""") },
        new("a trust policy with a session name condition", ImplicitDeny) { Action = "sts:AssumeRole", Resource = Role, Keys = Ks(("sts:RoleSessionName", "other")), ResourcePolicy = Doc(Statement("Allow", "Action", "sts:AssumeRole", "Resource", "*", """{"StringEquals":{"sts:RoleSessionName":"${aws:username}"}}""", AwsPrincipal(Alice.Arn)).Replace(",\"Resource\":\"*\"", "")) },
        new("the root assumes a role that trusts its account", Allowed) { Who = Root, Action = "sts:AssumeRole", Resource = Role, ResourcePolicy = TrustOf(AccountRoot) },
    ];

    private static IEnumerable<PolicyCase> CrossAccount() =>
    [
        new("cross-account: no resource policy denies", ImplicitDeny) { Who = Stranger, Action = "kms:Decrypt", Resource = Key, Identity = [Doc(Allow("kms:*"))], Reason = NoResource },
        new("cross-account: both policies allow", Allowed) { Who = Stranger, Action = "secretsmanager:GetSecretValue", Resource = Secret, Identity = [Doc(Allow("secretsmanager:GetSecretValue", Secret))], ResourcePolicy = Doc(For(AwsPrincipal(Stranger.Arn), "Allow", "secretsmanager:GetSecretValue")) },
        new("cross-account: the resource policy alone is not enough", ImplicitDeny) { Who = Stranger, Action = "secretsmanager:GetSecretValue", Resource = Secret, ResourcePolicy = Doc(For(AwsPrincipal(Stranger.Arn), "Allow", "secretsmanager:GetSecretValue")), Reason = NoIdentity },
        new("cross-account: the identity policy alone is not enough", ImplicitDeny) { Who = Stranger, Action = "secretsmanager:GetSecretValue", Resource = Secret, Identity = [Doc(Allow("*"))], ResourcePolicy = Doc(For(AwsPrincipal(Bob.Arn), "Allow", "*")), Reason = NoResource },
        new("cross-account: the resource policy names the other account", Allowed) { Who = Stranger, Action = "kms:Decrypt", Resource = Key, Identity = [Doc(Allow("kms:Decrypt"))], ResourcePolicy = Doc(DefaultKeyPolicy[(DefaultKeyPolicy.IndexOf('[') + 1)..^2], For(AwsPrincipal($"arn:aws:iam::{OtherAccount}:root"), "Allow", "kms:Decrypt")) },
        new("cross-account: the other account's root is bound by the resource policy", Allowed) { Who = StrangerRoot, Action = "kms:Decrypt", Resource = Key, ResourcePolicy = Doc(For(AwsPrincipal($"arn:aws:iam::{OtherAccount}:root"), "Allow", "kms:Decrypt")) },
        new("cross-account: the other account's root, not admitted", ImplicitDeny) { Who = StrangerRoot, Action = "kms:Decrypt", Resource = Key, ResourcePolicy = DefaultKeyPolicy },
        new("a resource policy deny of every other account", ExplicitDeny) { Who = Stranger, Action = "secretsmanager:GetSecretValue", Resource = Secret, Identity = [Doc(Allow("*"))], ResourcePolicy = Doc(For(AwsPrincipal("*"), "Deny", "*", "*", $$$"""{"StringNotEquals":{"aws:PrincipalAccount":"{{{Account}}}"}}"""), For(AwsPrincipal("*"), "Allow", "*")), Reason = ResourceDeny },
        new("same account: a key in our account from our user with Principal *", Allowed) { Action = "kms:Decrypt", Resource = Key, ResourcePolicy = Doc(For(AwsPrincipal("*"), "Allow", "kms:Decrypt")) },
        new("our user asking for another account's key needs its key policy", ImplicitDeny) { Action = "kms:Decrypt", Resource = OtherKey, Identity = [Doc(Allow("kms:*"))], ResourcePolicy = Doc(For(AwsPrincipal($"arn:aws:iam::{OtherAccount}:root"), "Allow", "kms:*")), Reason = NoResource },
    ];

    private static IEnumerable<PolicyCase> Sessions() =>
    [
        new("a session has its role's permissions", Allowed) { Who = Session, Identity = [Doc(Allow("ssm:GetParameter"))] },
        new("a session without role permissions", ImplicitDeny) { Who = Session, Reason = NoIdentity },
        new("a session policy limits the role", ImplicitDeny) { Who = Session, Identity = [Doc(Allow("ssm:*"))], SessionPolicy = Doc(Allow("ssm:GetParameter", ProdParameter)), Reason = "no session policy allows" },
        new("a session policy within the role", Allowed) { Who = Session, Identity = [Doc(Allow("ssm:*"))], SessionPolicy = Doc(Allow("ssm:GetParameter", DevParameter)) },
        new("a session policy grants nothing the role does not", ImplicitDeny) { Who = Session, SessionPolicy = Doc(Allow("*")), Reason = NoIdentity },
        new("a session policy deny", ExplicitDeny) { Who = Session, Identity = [Doc(Allow("*"))], SessionPolicy = Doc(Allow("*"), Deny("ssm:GetParameter")), Reason = "explicit deny in a session policy" },
        new("a resource policy naming the role is limited by the session policy", ImplicitDeny) { Who = Session, Action = "secretsmanager:GetSecretValue", Resource = Secret, SessionPolicy = Doc(Allow("ssm:*")), ResourcePolicy = Doc(For(AwsPrincipal(Role), "Allow", "secretsmanager:GetSecretValue")) },
        new("a resource policy naming the session is not limited by the session policy", Allowed) { Who = Session, Action = "secretsmanager:GetSecretValue", Resource = Secret, SessionPolicy = Doc(Allow("ssm:*")), ResourcePolicy = Doc(For(AwsPrincipal(Session.Arn), "Allow", "secretsmanager:GetSecretValue")) },
        new("a dev role reads /app/dev", Allowed) { Who = Session, Resource = DevParameter, Identity = [Doc(Allow("ssm:GetParameter*", "arn:aws:ssm:*:*:parameter/app/dev/*"))] },
        new("a dev role does not read /app/prod", ImplicitDeny) { Who = Session, Resource = ProdParameter, Identity = [Doc(Allow("ssm:GetParameter*", "arn:aws:ssm:*:*:parameter/app/dev/*"))] },
    ];

    private static string TrustOf(string principal) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{{principal}},"Action":"sts:AssumeRole"}]}""";
}
