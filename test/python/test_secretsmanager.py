"""Secrets Manager with boto3 (Debian's python3-boto3), unchanged but for the endpoint."""
import os

import boto3
import botocore.exceptions

sm = boto3.client("secretsmanager", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"])


def expect_error(code, fn, **kwargs):
    try:
        fn(**kwargs)
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == code, e.response
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response
        return e.response["Error"]["Message"]
    raise AssertionError(f"{fn.__name__} succeeded; expected {code}")


arn = sm.create_secret(Name="boto/db", SecretString='{"password":"one"}', Description="db")["ARN"]
first = sm.list_secret_version_ids(SecretId=arn)["Versions"][0]["VersionId"]

# Custom labels: one version holds at most 20; a label moves from one version to another.
for i in range(19):
    sm.update_secret_version_stage(SecretId=arn, VersionStage=f"L{i}", MoveToVersionId=first)
expect_error("LimitExceededException", sm.update_secret_version_stage, SecretId=arn, VersionStage="L19", MoveToVersionId=first)
second = sm.put_secret_value(SecretId=arn, SecretString='{"password":"two"}', VersionStages=["L0"])["VersionId"]
assert sm.get_secret_value(SecretId=arn, VersionStage="L0")["VersionId"] == second
message = expect_error("InvalidParameterException", sm.update_secret_version_stage, SecretId=arn, VersionStage="L1", MoveToVersionId=second)
assert first in message, message
expect_error("InvalidParameterException", sm.update_secret_version_stage, SecretId=arn, VersionStage="L1", RemoveFromVersionId=second)

# A version whose last label is removed is deprecated: listed only with IncludeDeprecated.
sm.update_secret_version_stage(SecretId=arn, VersionStage="L0", RemoveFromVersionId=second)
ids = [v["VersionId"] for v in sm.list_secret_version_ids(SecretId=arn)["Versions"]]
assert ids == [first], ids
ids = [v["VersionId"] for v in sm.list_secret_version_ids(SecretId=arn, IncludeDeprecated=True)["Versions"]]
assert sorted(ids) == sorted([first, second]), ids
assert sm.get_secret_value(SecretId=arn, VersionId=second)["VersionStages"] == []
assert second not in sm.describe_secret(SecretId=arn)["VersionIdsToStages"]

# Paginators over NextToken, and a bad token.
for i in range(5):
    sm.create_secret(Name=f"boto/many/{i}", SecretString=str(i))
pages = list(sm.get_paginator("list_secrets").paginate(Filters=[{"Key": "name", "Values": ["boto/many/"]}], PaginationConfig={"PageSize": 2}))
assert [len(p["SecretList"]) for p in pages] == [2, 2, 1], pages
expect_error("InvalidNextTokenException", sm.list_secrets, NextToken="not-a-token")
page = sm.list_secret_version_ids(SecretId=arn, IncludeDeprecated=True, MaxResults=1)
rest = sm.list_secret_version_ids(SecretId=arn, IncludeDeprecated=True, MaxResults=1, NextToken=page["NextToken"])
assert len(page["Versions"]) == 1 and len(rest["Versions"]) == 1 and "NextToken" not in rest, (page, rest)

# Describe keeps dates and metadata; a secret in deletion can still be described, not read or changed.
sm.delete_secret(SecretId="boto/many/0", RecoveryWindowInDays=30)
described = sm.describe_secret(SecretId="boto/many/0")
assert "DeletedDate" in described and "RotationEnabled" not in described, described
expect_error("InvalidRequestException", sm.put_secret_value, SecretId="boto/many/0", SecretString="x")
expect_error("InvalidRequestException", sm.update_secret, SecretId="boto/many/0", Description="x")
expect_error("InvalidRequestException", sm.tag_resource, SecretId="boto/many/0", Tags=[{"Key": "a", "Value": "b"}])
expect_error("ResourceNotFoundException", sm.restore_secret, SecretId="boto/none")
expect_error("ResourceNotFoundException", sm.get_resource_policy, SecretId="boto/none")
expect_error("ResourceNotFoundException", sm.update_secret_version_stage, SecretId="boto/none", VersionStage="x", MoveToVersionId="a" * 32)

# A change of key re-encrypts the labelled versions; a disabled key neither decrypts nor encrypts.
kms = boto3.client("kms", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"])
key = kms.create_key()["KeyMetadata"]["KeyId"]
sm.update_secret(SecretId=arn, KmsKeyId=key)
assert sm.describe_secret(SecretId=arn)["KmsKeyId"] == key
assert sm.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"] == '{"password":"one"}'
kms.disable_key(KeyId=key)
expect_error("DecryptionFailure", sm.get_secret_value, SecretId=arn)
expect_error("EncryptionFailure", sm.put_secret_value, SecretId=arn, SecretString="x")
kms.enable_key(KeyId=key)

# Bad input, with AWS's codes.
expect_error("InvalidParameterException", sm.create_secret, Name="bad name", SecretString="x")
expect_error("InvalidParameterException", sm.create_secret, Name="both", SecretString="x", SecretBinary=b"y")
expect_error("ValidationException", sm.create_secret, Name="big", SecretString="a" * 65537)
expect_error("ValidationException", sm.create_secret, Name="empty", SecretBinary=b"")
expect_error("ResourceNotFoundException", sm.get_secret_value, SecretId=arn, VersionStage="AWSPENDING")
expect_error("InvalidParameterException", sm.tag_resource, SecretId=arn, Tags=[{"Key": "aws:x", "Value": "y"}])
expect_error("InvalidParameterException", sm.get_random_password, ExcludeNumbers=True, ExcludeLowercase=True, ExcludeUppercase=True, ExcludePunctuation=True)
expect_error("ValidationException", sm.get_random_password, PasswordLength=4097)
assert sm.get_random_password(PasswordLength=30, ExcludeNumbers=True, ExcludeLowercase=True, ExcludeUppercase=True, ExcludePunctuation=True, IncludeSpace=True)["RandomPassword"] == " " * 30
expect_error("MalformedPolicyDocumentException", sm.put_resource_policy, SecretId=arn, ResourcePolicy='{"Statement":[{"Effect":"Allow","Action":"x","Resource":"*"}]}')
single_user = "arn:aws:lambda:us-east-1:111122223333:function:coffer-postgres-single-user"
for rules in ({"ScheduleExpression": "cron(0 * * * ? *)"}, {"AutomaticallyAfterDays": 3, "ScheduleExpression": "rate(3 days)"}, {"ScheduleExpression": "cron(0 20 * * ? *)", "Duration": "6h"}):
    expect_error("InvalidParameterException", sm.rotate_secret, SecretId=arn, RotationLambdaARN=single_user, RotationRules=rules)
tagged = sm.list_secrets(Filters=[{"Key": "all", "Values": ["Many"]}])["SecretList"]
assert len(tagged) == 4, tagged

# Deletion: both options refused; deleting twice refused; a forced deletion frees the name at once.
expect_error("InvalidParameterException", sm.delete_secret, SecretId="boto/many/1", RecoveryWindowInDays=7, ForceDeleteWithoutRecovery=True)
expect_error("InvalidRequestException", sm.delete_secret, SecretId="boto/many/0")
sm.delete_secret(SecretId="boto/many/1", ForceDeleteWithoutRecovery=True)
sm.create_secret(Name="boto/many/1", SecretString="reborn")
assert sm.get_secret_value(SecretId="boto/many/1")["SecretString"] == "reborn"

# UpdateSecret with a value makes a version; with an empty KmsKeyId, back to the default key.
new = sm.update_secret(SecretId=arn, SecretString='{"password":"three"}', KmsKeyId="")["VersionId"]
assert sm.get_secret_value(SecretId=arn)["VersionId"] == new
assert "KmsKeyId" not in sm.describe_secret(SecretId=arn)

# A KMS key that does not exist cannot encrypt.
expect_error("EncryptionFailure", sm.create_secret, Name="boto/badkey", SecretString="x", KmsKeyId="alias/does-not-exist")
print("test_secretsmanager.py: all checks passed")
