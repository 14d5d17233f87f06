"""KMS grants with boto3 (issue 13): a grant lets a role session that no policy allows decrypt."""
import json
import os

import boto3
import botocore.exceptions

endpoint, region = os.environ["AWS_ENDPOINT_URL"], os.environ["AWS_REGION"]
kms = boto3.client("kms", endpoint_url=endpoint, region_name=region)
iam = boto3.client("iam", endpoint_url=endpoint, region_name=region)
sts = boto3.client("sts", endpoint_url=endpoint, region_name=region)
account = sts.get_caller_identity()["Account"]

# A role that may be assumed but has no permissions of its own.
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName="grant-worker", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
creds = sts.assume_role(RoleArn=role, RoleSessionName="job-1")["Credentials"]
worker = boto3.client("kms", endpoint_url=endpoint, region_name=region, aws_access_key_id=creds["AccessKeyId"],
                      aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])

key = kms.create_key()["KeyMetadata"]["KeyId"]
blob = kms.encrypt(KeyId=key, Plaintext=b"Top Secret")["CiphertextBlob"]


def denied(call, **kwargs):
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"] == "AccessDeniedException"
    return False


assert denied(worker.decrypt, CiphertextBlob=blob)
# A grant to the role applies to its sessions.
grant = kms.create_grant(KeyId=key, GranteePrincipal=role, Operations=["Decrypt", "RetireGrant"])
assert worker.decrypt(CiphertextBlob=blob)["Plaintext"] == b"Top Secret"
assert [g["GrantId"] for g in kms.list_grants(KeyId=key)["Grants"]] == [grant["GrantId"]]
# The grantee may retire it, since RetireGrant is among its operations.
worker.retire_grant(KeyId=key, GrantId=grant["GrantId"])
assert denied(worker.decrypt, CiphertextBlob=blob)
print("test_kms_grants.py: all checks passed")
