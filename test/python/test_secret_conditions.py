"""Identity policies on Secrets Manager's condition keys, with boto3: a user may read only the AWSCURRENT
version (secretsmanager:VersionStage) of secrets tagged stage=dev (secretsmanager:ResourceTag/stage)."""
import json
import os

import boto3
import botocore.exceptions

endpoint = os.environ["AWS_ENDPOINT_URL"]
region = os.environ["AWS_REGION"]
iam = boto3.client("iam", endpoint_url=endpoint, region_name=region)
sm = boto3.client("secretsmanager", endpoint_url=endpoint, region_name=region)
account = boto3.client("sts", endpoint_url=endpoint, region_name=region).get_caller_identity()["Account"]


def denied(call, **kwargs):
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "AccessDeniedException", e.response
        assert e.response["Error"]["Message"].endswith("because no identity-based policy allows the secretsmanager:GetSecretValue action"), e.response
        return
    raise AssertionError(f"{kwargs} was read; expected AccessDeniedException")


dev = sm.create_secret(Name="tagged/dev", SecretString="first", Tags=[{"Key": "stage", "Value": "dev"}])["ARN"]
first = sm.list_secret_version_ids(SecretId=dev)["Versions"][0]["VersionId"]
sm.put_secret_value(SecretId=dev, SecretString="second")
sm.create_secret(Name="tagged/prod", SecretString="prod", Tags=[{"Key": "stage", "Value": "prod"}])

condition = {"StringEquals": {"secretsmanager:VersionStage": "AWSCURRENT", "secretsmanager:ResourceTag/stage": "dev"}}
iam.create_user(UserName="reader")
iam.put_user_policy(UserName="reader", PolicyName="current-dev", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*", "Condition": condition}]}))
key = iam.create_access_key(UserName="reader")["AccessKey"]
reader = boto3.client("secretsmanager", endpoint_url=endpoint, region_name=region, aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])

# AWSCURRENT of the dev secret, asked for by name or by default; nothing else.
assert reader.get_secret_value(SecretId="tagged/dev")["SecretString"] == "second"
assert reader.get_secret_value(SecretId=dev, VersionStage="AWSCURRENT")["SecretString"] == "second"
denied(reader.get_secret_value, SecretId="tagged/dev", VersionStage="AWSPREVIOUS")
# A read by version id alone names no stage, so a condition on the stage does not hold.
denied(reader.get_secret_value, SecretId="tagged/dev", VersionId=first)
denied(reader.get_secret_value, SecretId="tagged/prod")

# The tag is read from the secret as it is at each request: untagged, it is no longer readable.
sm.untag_resource(SecretId=dev, TagKeys=["stage"])
denied(reader.get_secret_value, SecretId="tagged/dev")
sm.tag_resource(SecretId=dev, Tags=[{"Key": "stage", "Value": "dev"}])
assert reader.get_secret_value(SecretId="tagged/dev")["SecretString"] == "second"
print("test_secret_conditions.py: all checks passed")
