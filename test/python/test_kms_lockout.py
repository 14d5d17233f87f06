"""The key policy lockout safety check with boto3 (issue 13)."""
import json
import os

import boto3
import botocore.exceptions

kms = boto3.client("kms", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"])
account = boto3.client("sts", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"]).get_caller_identity()["Account"]
read_only = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": ["kms:Describe*", "kms:Get*"], "Resource": "*"}]})

key = kms.create_key()["KeyMetadata"]["KeyId"]
try:
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy=read_only)
    raise AssertionError("a lockout policy was accepted")
except botocore.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "MalformedPolicyDocumentException", e.response
    assert e.response["Error"]["Message"] == "The new key policy will not allow you to update the key policy in the future.", e.response

kms.put_key_policy(KeyId=key, PolicyName="default", Policy=read_only, BypassPolicyLockoutSafetyCheck=True)
assert kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"] == read_only
print("test_kms_lockout.py: all checks passed")
