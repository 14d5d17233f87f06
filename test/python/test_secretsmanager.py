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

# UpdateSecret with a value makes a version; with an empty KmsKeyId, back to the default key.
new = sm.update_secret(SecretId=arn, SecretString='{"password":"three"}', KmsKeyId="")["VersionId"]
assert sm.get_secret_value(SecretId=arn)["VersionId"] == new
assert "KmsKeyId" not in sm.describe_secret(SecretId=arn)

# A KMS key that does not exist cannot encrypt.
expect_error("EncryptionFailure", sm.create_secret, Name="boto/badkey", SecretString="x", KmsKeyId="alias/does-not-exist")
print("test_secretsmanager.py: all checks passed")
