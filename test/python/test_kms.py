"""KMS with boto3 (Debian's python3-boto3), unchanged but for the endpoint."""
import os

import boto3
import botocore.exceptions

kms = boto3.client("kms", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"])
key = kms.create_key(Description="boto3")["KeyMetadata"]
blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"Top Secret", EncryptionContext={"app": "x"})["CiphertextBlob"]
out = kms.decrypt(CiphertextBlob=blob, EncryptionContext={"app": "x"})
assert out["Plaintext"] == b"Top Secret", out
assert out["KeyId"] == key["Arn"], out

try:
    kms.decrypt(CiphertextBlob=blob)
    raise AssertionError("decrypt without the context succeeded")
except botocore.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "InvalidCiphertextException", e.response
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response

paginator = kms.get_paginator("list_keys")
ids = [k["KeyId"] for page in paginator.paginate(PaginationConfig={"PageSize": 1}) for k in page["Keys"]]
assert key["KeyId"] in ids, ids
# Issue 13: the predefined aliases are listed before their AWS managed key exists, without a target.
aliases = {a["AliasName"]: a for page in kms.get_paginator("list_aliases").paginate() for a in page["Aliases"]}
assert "alias/aws/secretsmanager" in aliases and "TargetKeyId" not in aliases["alias/aws/secretsmanager"], aliases
try:
    kms.create_alias(AliasName="no-prefix", TargetKeyId=key["KeyId"])
    raise AssertionError("an alias without the alias/ prefix was accepted")
except botocore.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "ValidationException", e.response
print("test_kms.py: all checks passed")
