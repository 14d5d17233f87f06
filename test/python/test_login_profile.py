"""Login profiles (issue 15) with boto3: the model's shapes and errors, and the user's own change."""
import os

import boto3
import botocore.exceptions

endpoint = os.environ["AWS_ENDPOINT_URL"]
region = os.environ["AWS_REGION"]
iam = boto3.client("iam", endpoint_url=endpoint, region_name=region)


def error(call, code, status):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == code, e.response
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == status, e.response
        return e.response["Error"]["Message"]
    raise AssertionError(f"expected {code}")


iam.create_user(UserName="erin")
profile = iam.create_login_profile(UserName="erin", Password="Corr3ct-Horse!")["LoginProfile"]
assert profile["UserName"] == "erin" and profile["PasswordResetRequired"] is False, profile
assert profile["CreateDate"].year >= 2024, profile
assert iam.get_login_profile(UserName="erin")["LoginProfile"]["UserName"] == "erin"
error(lambda: iam.create_login_profile(UserName="erin", Password="Corr3ct-Horse!"), "EntityAlreadyExists", 409)
message = error(lambda: iam.update_login_profile(UserName="erin", Password="password"), "PasswordPolicyViolation", 400)
assert "password" not in message.lower().replace("password should", ""), message
error(lambda: iam.get_login_profile(UserName="nobody"), "NoSuchEntity", 404)
error(lambda: iam.change_password(OldPassword="Corr3ct-Horse!", NewPassword="An0ther-Horse!"), "InvalidUserType", 400)

key = iam.create_access_key(UserName="erin")["AccessKey"]
iam.put_user_policy(UserName="erin", PolicyName="own", PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ChangePassword","Resource":"*"}]}')
erin = boto3.client("iam", endpoint_url=endpoint, region_name=region, aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
erin.change_password(OldPassword="Corr3ct-Horse!", NewPassword="An0ther-Horse!")
error(lambda: erin.change_password(OldPassword="Corr3ct-Horse!", NewPassword="Y3t-another-one"), "AccessDenied", 403)
error(lambda: erin.get_login_profile(UserName="erin"), "AccessDenied", 403)
iam.delete_login_profile(UserName="erin")
error(lambda: iam.delete_login_profile(UserName="erin"), "NoSuchEntity", 404)
print("ok: login profiles through boto3")
