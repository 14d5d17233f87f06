"""IAM and STS with boto3 (Debian's python3-boto3), unchanged but for the endpoint: users, roles,
a session policy, SimulatePrincipalPolicy, pagination and the query protocol's error shapes."""
import json
import os

import boto3
import botocore.exceptions

endpoint = os.environ["AWS_ENDPOINT_URL"]
region = os.environ["AWS_REGION"]
iam = boto3.client("iam", endpoint_url=endpoint, region_name=region)
sts = boto3.client("sts", endpoint_url=endpoint, region_name=region)
account = sts.get_caller_identity()["Account"]


def error(call, code, status):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == code, e.response
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == status, e.response
        return e.response["Error"]["Message"]
    raise AssertionError(f"expected {code}")


for i in range(3):
    iam.create_user(UserName=f"user-{i}", Tags=[{"Key": "team", "Value": "payments"}])
names = [u["UserName"] for page in iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 2}) for u in page["Users"]]
assert names == ["user-0", "user-1", "user-2"], names
assert iam.get_user(UserName="user-0")["User"]["Tags"] == [{"Key": "team", "Value": "payments"}]

trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:user/user-0"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName="app", AssumeRolePolicyDocument=json.dumps(trust), MaxSessionDuration=7200)["Role"]
assert role["RoleId"].startswith("AROA"), role
assert iam.get_role(RoleName="app")["Role"]["AssumeRolePolicyDocument"] == trust
iam.put_role_policy(RoleName="app", PolicyName="ssm", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ssm:*", "kms:DescribeKey"], "Resource": "*"}]}))

key = iam.create_access_key(UserName="user-0")["AccessKey"]
user = boto3.client("sts", endpoint_url=endpoint, region_name=region, aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
# The trust policy names the user: no identity policy is needed to assume the role.
session_policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*"}]}
assumed = user.assume_role(RoleArn=role["Arn"], RoleSessionName="boto", Policy=json.dumps(session_policy), DurationSeconds=7200)
assert assumed["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{account}:assumed-role/app/boto", assumed
assert 0 < assumed["PackedPolicySize"] <= 100, assumed
creds = assumed["Credentials"]
kms = boto3.client("kms", endpoint_url=endpoint, region_name=region, aws_access_key_id=creds["AccessKeyId"],
                   aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
message = error(lambda: kms.list_keys(), "AccessDeniedException", 400)
assert message.endswith("because no identity-based policy allows the kms:ListKeys action"), message

# SimulatePrincipalPolicy says which statement decided.
result = iam.simulate_principal_policy(PolicySourceArn=f"arn:aws:iam::{account}:role/app", ActionNames=["ssm:GetParameter", "iam:CreateUser"],
                                       ContextEntries=[{"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["10.0.0.1"], "ContextKeyType": "ip"}])
decisions = {r["EvalActionName"]: r for r in result["EvaluationResults"]}
assert decisions["ssm:GetParameter"]["EvalDecision"] == "allowed", decisions
assert decisions["ssm:GetParameter"]["MatchedStatements"][0]["SourcePolicyId"] == "ssm", decisions
assert decisions["ssm:GetParameter"]["MatchedStatements"][0]["SourcePolicyType"] == "role", decisions
assert decisions["iam:CreateUser"]["EvalDecision"] == "implicitDeny", decisions

# Errors in the query protocol's shapes and statuses.
error(lambda: iam.get_role(RoleName="missing"), "NoSuchEntity", 404)
error(lambda: iam.create_user(UserName="user-1"), "EntityAlreadyExists", 409)
error(lambda: iam.create_access_key(UserName="user-0") and iam.create_access_key(UserName="user-0"), "LimitExceeded", 409)
error(lambda: iam.put_role_policy(RoleName="app", PolicyName="x", PolicyDocument="{}"), "MalformedPolicyDocument", 400)
error(lambda: user.assume_role(RoleArn=f"arn:aws:iam::{account}:role/missing", RoleSessionName="xx"), "AccessDenied", 403)
session_sts = boto3.client("sts", endpoint_url=endpoint, region_name=region, aws_access_key_id=creds["AccessKeyId"],
                           aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
error(lambda: session_sts.get_session_token(), "AccessDenied", 403)
bad = boto3.client("sts", endpoint_url=endpoint, region_name=region, aws_access_key_id=key["AccessKeyId"], aws_secret_access_key="wrong")
error(lambda: bad.get_caller_identity(), "SignatureDoesNotMatch", 403)
print("test_iam.py: all checks passed")
