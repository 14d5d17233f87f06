"""Issue 5's scenario with boto3, signed as each principal in turn: a dev role reads /app/dev/* and not
/app/prod/*; a prod function role reads /app/prod/* and decrypts with the prod key; a key administrator
manages the prod key but cannot decrypt with it; a secret's resource policy grants the prod role read.
test/scripts/access-scenario.sh is the same with the AWS CLI. Every denial is checked for its code and
AWS's whole message; every allowed read for the value it returns."""
import base64
import json
import os

import boto3
import botocore.exceptions

endpoint = os.environ["AWS_ENDPOINT_URL"]
region = os.environ["AWS_REGION"]


def client(service, credentials=None):
    keys = {} if credentials is None else {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials.get("SessionToken"),
    }
    return boto3.client(service, endpoint_url=endpoint, region_name=region, **keys)


def denied(who, action, resource, reason, call, **kwargs):
    """The call fails with AccessDeniedException and AWS's message: who, which action, which resource, why."""
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as e:
        error = e.response["Error"]
        assert error["Code"] == "AccessDeniedException", e.response
        expected = f"User: {who} is not authorized to perform: {action} on resource: {resource} {reason}"
        assert error["Message"] == expected, (error["Message"], expected)
        return
    raise AssertionError(f"{call.__name__} as {who} succeeded; expected a denial of {action}")


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(actions, resources):
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


NO_IDENTITY = "because no identity-based policy allows the {} action"
NO_RESOURCE = "because no resource-based policy allows the {} action"
RESOURCE_DENY = "with an explicit deny in a resource-based policy"

iam, sts, ssm, kms, sm = (client(s) for s in ("iam", "sts", "ssm", "kms", "secretsmanager"))
account = sts.get_caller_identity()["Account"]
root = f"arn:aws:iam::{account}:root"
parameter = f"arn:aws:ssm:{region}:{account}:parameter"
reference = parameter + "/aws/reference/secretsmanager/*"

# The principals, as a new user of AWS sets them up: two function roles and a key administrator.
trust = policy({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"},
               {"Effect": "Allow", "Principal": {"AWS": root}, "Action": "sts:AssumeRole"})
dev_role = iam.create_role(RoleName="dev-fn", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
prod_role = iam.create_role(RoleName="prod-fn", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
iam.put_role_policy(RoleName="dev-fn", PolicyName="stage", PolicyDocument=policy(
    allow("ssm:GetParameter*", [f"{parameter}/app/dev", f"{parameter}/app/dev/*", reference]),
    allow("secretsmanager:ListSecrets", "*"),
    allow(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], f"arn:aws:secretsmanager:{region}:{account}:secret:app/dev/*")))
iam.put_role_policy(RoleName="prod-fn", PolicyName="stage", PolicyDocument=policy(
    allow("ssm:GetParameter*", [f"{parameter}/app/prod", f"{parameter}/app/prod/*", reference])))
iam.create_user(UserName="key-admin")
iam.put_user_policy(UserName="key-admin", PolicyName="kms", PolicyDocument=policy(allow("kms:*", "*")))
admin_arn = f"arn:aws:iam::{account}:user/key-admin"
admin_key = iam.create_access_key(UserName="key-admin")["AccessKey"]
admin_kms, admin_sm, admin_ssm = (client(s, admin_key) for s in ("kms", "secretsmanager", "ssm"))

key_policy = policy(
    {"Sid": "Account", "Effect": "Allow", "Principal": {"AWS": root}, "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:PutKeyPolicy", "kms:Encrypt"], "Resource": "*"},
    {"Sid": "KeyAdministrators", "Effect": "Allow", "Principal": {"AWS": admin_arn},
     "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*",
                "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"], "Resource": "*"},
    {"Sid": "KeyUsers", "Effect": "Allow", "Principal": {"AWS": prod_role}, "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"})
key = kms.create_key(Description="prod", Policy=key_policy, BypassPolicyLockoutSafetyCheck=True)["KeyMetadata"]
admin_kms.create_alias(AliasName="alias/prod", TargetKeyId=key["KeyId"])
ssm.put_parameter(Name="/app/dev/db/password", Type="SecureString", Value="dev-secret")
ssm.put_parameter(Name="/app/dev/db/host", Type="String", Value="dev-db")
ssm.put_parameter(Name="/app/prod/db/password", Type="SecureString", KeyId="alias/prod", Value="prod-secret")


def session(role, name):
    credentials = sts.assume_role(RoleArn=role, RoleSessionName=name)["Credentials"]
    return f"arn:aws:sts::{account}:assumed-role/{role.split('/')[-1]}/{name}", credentials


dev, dev_credentials = session(dev_role, "dev")
prod, prod_credentials = session(prod_role, "prod")
dev_ssm, dev_sm = (client(s, dev_credentials) for s in ("ssm", "secretsmanager"))
prod_ssm, prod_kms, prod_sm = (client(s, prod_credentials) for s in ("ssm", "kms", "secretsmanager"))

# The dev role reads /app/dev/* and not /app/prod/*.
assert dev_ssm.get_parameter(Name="/app/dev/db/password", WithDecryption=True)["Parameter"]["Value"] == "dev-secret"
names = sorted(p["Name"] for p in dev_ssm.get_parameters_by_path(Path="/app/dev", Recursive=True)["Parameters"])
assert names == ["/app/dev/db/host", "/app/dev/db/password"], names
denied(dev, "ssm:GetParameter", f"{parameter}/app/prod/db/password", NO_IDENTITY.format("ssm:GetParameter"),
       dev_ssm.get_parameter, Name="/app/prod/db/password", WithDecryption=True)

# The prod function role reads /app/prod/* and decrypts with the prod key, in Parameter Store and directly.
assert prod_ssm.get_parameter(Name="/app/prod/db/password", WithDecryption=True)["Parameter"]["Value"] == "prod-secret"
denied(prod, "ssm:GetParameter", f"{parameter}/app/dev/db/password", NO_IDENTITY.format("ssm:GetParameter"),
       prod_ssm.get_parameter, Name="/app/dev/db/password")
blob = ssm.get_parameter(Name="/app/prod/db/password")["Parameter"]["Value"]
context = {"PARAMETER_ARN": f"{parameter}/app/prod/db/password"}
ciphertext = base64.b64decode(blob)
assert prod_kms.decrypt(CiphertextBlob=ciphertext, EncryptionContext=context)["Plaintext"] == b"prod-secret"

# The key administrator manages the prod key but cannot decrypt with it; the account cannot either.
admin_kms.disable_key(KeyId=key["KeyId"])
assert admin_kms.describe_key(KeyId="alias/prod")["KeyMetadata"]["KeyState"] == "Disabled"
admin_kms.enable_key(KeyId=key["KeyId"])
admin_kms.update_key_description(KeyId=key["KeyId"], Description="prod, managed by key-admin")
managed = admin_kms.describe_key(KeyId=key["Arn"])["KeyMetadata"]
assert (managed["KeyState"], managed["Description"]) == ("Enabled", "prod, managed by key-admin"), managed
denied(admin_arn, "kms:Decrypt", key["Arn"], NO_RESOURCE.format("kms:Decrypt"),
       admin_kms.decrypt, CiphertextBlob=ciphertext, EncryptionContext=context)
denied(root, "kms:Decrypt", key["Arn"], NO_RESOURCE.format("kms:Decrypt"),
       ssm.get_parameter, Name="/app/prod/db/password", WithDecryption=True)

# A secret's resource policy grants the prod role read; no identity policy allows anyone else.
assert sm.create_secret(Name="app/dev/db", SecretString="dev-db-secret")["Name"] == "app/dev/db"
secret = sm.create_secret(Name="app/prod/db", SecretString="prod-db-secret")["ARN"]
prod_reads = {"Sid": "ProdReads", "Effect": "Allow", "Principal": {"AWS": prod_role}, "Action": "secretsmanager:GetSecretValue", "Resource": "*"}
sm.put_resource_policy(SecretId="app/prod/db", ResourcePolicy=policy(prod_reads), BlockPublicPolicy=True)
assert prod_sm.get_secret_value(SecretId="app/prod/db")["SecretString"] == "prod-db-secret"
assert dev_sm.get_secret_value(SecretId="app/dev/db")["SecretString"] == "dev-db-secret"
read = NO_IDENTITY.format("secretsmanager:GetSecretValue")
denied(dev, "secretsmanager:GetSecretValue", "app/prod/db", read, dev_sm.get_secret_value, SecretId="app/prod/db")
denied(admin_arn, "secretsmanager:GetSecretValue", secret, read, admin_sm.get_secret_value, SecretId=secret)

# The simulator names the secret's policy statement that decided, given the secret's partial ARN.
partial = secret[:-7]
result = iam.simulate_principal_policy(PolicySourceArn=prod_role, ActionNames=["secretsmanager:GetSecretValue"], ResourceArns=[partial])["EvaluationResults"][0]
assert result["EvalDecision"] == "allowed", result
assert [(m["SourcePolicyType"], m["SourcePolicyId"]) for m in result["MatchedStatements"]] == [("resource", secret)], result

# Through Parameter Store, the secret is read by whom Secrets Manager lets read it, and by nobody else.
ref = "/aws/reference/secretsmanager/app/prod/db"
assert prod_ssm.get_parameter(Name=ref, WithDecryption=True)["Parameter"]["Value"] == "prod-db-secret"
denied(dev, "secretsmanager:GetSecretValue", "app/prod/db", read, dev_ssm.get_parameter, Name=ref, WithDecryption=True)

# ListSecrets leaves out what the dev role may not describe. (So does BatchGetSecretValue by filter,
# which Debian's boto3 predates: access-scenario.sh checks it with the AWS CLI v1.)
listed = [s["Name"] for s in dev_sm.list_secrets()["SecretList"]]
assert listed == ["app/dev/db"], listed

# An explicit Deny in the secret's policy beats an identity Allow: the key administrator may read
# secrets by its own policy (through Parameter Store by GetParameters only, which is its own action)
# until the secret's policy lets only the prod role read.
iam.put_user_policy(UserName="key-admin", PolicyName="secrets", PolicyDocument=policy(
    allow("secretsmanager:GetSecretValue", "*"), allow("ssm:GetParameters", reference)))
assert admin_sm.get_secret_value(SecretId="app/prod/db")["SecretString"] == "prod-db-secret"
assert [p["Value"] for p in admin_ssm.get_parameters(Names=[ref], WithDecryption=True)["Parameters"]] == ["prod-db-secret"]
denied(admin_arn, "ssm:GetParameter", f"{parameter}{ref}", NO_IDENTITY.format("ssm:GetParameter"), admin_ssm.get_parameter, Name=ref, WithDecryption=True)
only_prod = {"Sid": "OnlyProdReads", "Effect": "Deny", "Principal": "*", "Action": "secretsmanager:GetSecretValue", "Resource": "*",
             "Condition": {"ArnNotEquals": {"aws:PrincipalArn": prod_role}}}
sm.put_resource_policy(SecretId="app/prod/db", ResourcePolicy=policy(prod_reads, only_prod), BlockPublicPolicy=True)
denied(admin_arn, "secretsmanager:GetSecretValue", "app/prod/db", RESOURCE_DENY, admin_sm.get_secret_value, SecretId="app/prod/db")
denied(admin_arn, "secretsmanager:GetSecretValue", "app/prod/db", RESOURCE_DENY, admin_ssm.get_parameters, Names=[ref], WithDecryption=True)
denied(root, "secretsmanager:GetSecretValue", "app/prod/db", RESOURCE_DENY, sm.get_secret_value, SecretId="app/prod/db")
assert prod_sm.get_secret_value(SecretId="app/prod/db")["SecretString"] == "prod-db-secret"
print("test_access_scenario.py: all checks passed")
