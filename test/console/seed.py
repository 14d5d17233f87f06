"""Seeds a dev server for the console's browser tests (issue 15), with boto3 as an operator would:
two stages of parameters, a rotating secret, a KMS key, an admin with a password, and a limited
user who may read only /app/dev. Prints nothing secret. FUNCTION_ARN names the rotation function."""
import os

import boto3

endpoint = os.environ["AWS_ENDPOINT_URL"]
region = os.environ["AWS_REGION"]
ssm = boto3.client("ssm", endpoint_url=endpoint, region_name=region)
sm = boto3.client("secretsmanager", endpoint_url=endpoint, region_name=region)
kms = boto3.client("kms", endpoint_url=endpoint, region_name=region)
iam = boto3.client("iam", endpoint_url=endpoint, region_name=region)

for stage, host, level in [("dev", "db.dev.internal", "debug"), ("prod", "db.internal", "warn")]:
    ssm.put_parameter(Name=f"/app/{stage}/db/host", Value=host, Type="String")
    ssm.put_parameter(Name=f"/app/{stage}/db/password", Value=f"{stage}-S3cr3t!", Type="SecureString")
    ssm.put_parameter(Name=f"/app/{stage}/log/level", Value=level, Type="String")
ssm.put_parameter(Name="/app/dev/feature/new-checkout", Value="on", Type="String")
ssm.put_parameter(Name="/app/prod/log/level", Value="error", Type="String", Overwrite=True)
ssm.label_parameter_version(Name="/app/prod/log/level", ParameterVersion=2, Labels=["current-release"])
# A value that is HTML: the console must show it as text and never run it.
ssm.put_parameter(Name="/app/dev/banner", Value='<img src=x onerror="window.__xss=1"><b>hi</b>', Type="String")

key = kms.create_key(Description="app envelope key")["KeyMetadata"]["KeyId"]
kms.create_alias(AliasName="alias/app", TargetKeyId=key)
kms.enable_key_rotation(KeyId=key)

sm.create_secret(Name="app/prod/api-key", SecretString="initial", Tags=[{"Key": "team", "Value": "payments"}])
sm.rotate_secret(SecretId="app/prod/api-key", RotationLambdaARN=os.environ["FUNCTION_ARN"], RotationRules={"AutomaticallyAfterDays": 30})

iam.create_user(UserName="lead")
iam.attach_user_policy(UserName="lead", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
iam.create_login_profile(UserName="lead", Password=os.environ["LEAD_PASSWORD"])

iam.create_user(UserName="dev-reader")
iam.put_user_policy(UserName="dev-reader", PolicyName="dev-only", PolicyDocument="""{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["ssm:DescribeParameters"], "Resource": "*"},
    {"Effect": "Allow", "Action": ["ssm:GetParameter", "ssm:GetParameterHistory", "ssm:GetParametersByPath"], "Resource": "arn:aws:ssm:*:*:parameter/app/dev/*"}
  ]
}""")
iam.create_login_profile(UserName="dev-reader", Password=os.environ["READER_PASSWORD"], PasswordResetRequired=True)
print("seeded")
