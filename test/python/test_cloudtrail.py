"""CloudTrail LookupEvents with boto3 (issue 9): who read a parameter, found by name, user and
access key, a page at a time, and only for a caller that IAM allows cloudtrail:LookupEvents."""
import json
import os

import boto3
import botocore.exceptions

endpoint = os.environ["AWS_ENDPOINT_URL"]
region = os.environ["AWS_REGION"]


def client(service, key=None):
    if key is None:
        return boto3.client(service, endpoint_url=endpoint, region_name=region)
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])


def error(call, code):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == code, e.response
        return
    raise AssertionError(f"expected {code}")


iam, ssm, trail = client("iam"), client("ssm"), client("cloudtrail")
ssm.put_parameter(Name="/app/prod/db/password", Value="pa55word-value", Type="SecureString")

# A reader allowed the parameter, and an auditor allowed only the trail.
iam.create_user(UserName="reader")
iam.put_user_policy(UserName="reader", PolicyName="read", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ssm:GetParameter", "kms:Decrypt"], "Resource": "*"}]}))
reader_key = iam.create_access_key(UserName="reader")["AccessKey"]
iam.create_user(UserName="auditor")
iam.put_user_policy(UserName="auditor", PolicyName="trail", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "cloudtrail:LookupEvents", "Resource": "*"}]}))
auditor_key = iam.create_access_key(UserName="auditor")["AccessKey"]

reader_ssm = client("ssm", reader_key)
for _ in range(3):
    reader_ssm.get_parameter(Name="/app/prod/db/password", WithDecryption=True)

# The reader may read the parameter but not the trail.
error(lambda: client("cloudtrail", reader_key).lookup_events(), "AccessDeniedException")

auditor = client("cloudtrail", auditor_key)
by_name = auditor.lookup_events(LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": "/app/prod/db/password"}])["Events"]
reads = [e for e in by_name if e["EventName"] == "GetParameter"]
assert len(reads) == 3, by_name
assert all(e["Username"] == "reader" and e["AccessKeyId"] == reader_key["AccessKeyId"] for e in reads), reads
assert all(e["ReadOnly"] == "true" for e in reads), reads
assert by_name[-1]["EventName"] == "PutParameter", by_name
assert [e["EventTime"] for e in by_name] == sorted((e["EventTime"] for e in by_name), reverse=True), by_name
record = json.loads(reads[0]["CloudTrailEvent"])
assert record["userIdentity"]["userName"] == "reader", record
assert "pa55word-value" not in json.dumps(by_name, default=str)

by_key = auditor.lookup_events(LookupAttributes=[{"AttributeKey": "AccessKeyId", "AttributeValue": reader_key["AccessKeyId"]}])["Events"]
assert {e["EventName"] for e in by_key} == {"GetParameter", "LookupEvents"}, by_key
assert any(json.loads(e["CloudTrailEvent"]).get("errorCode") == "AccessDeniedException" for e in by_key), by_key

by_user = auditor.lookup_events(LookupAttributes=[{"AttributeKey": "Username", "AttributeValue": "reader"}], MaxResults=2)
assert len(by_user["Events"]) == 2 and "NextToken" in by_user, by_user
one = auditor.lookup_events(LookupAttributes=[{"AttributeKey": "EventId", "AttributeValue": reads[0]["EventId"]}])["Events"]
assert [e["EventId"] for e in one] == [reads[0]["EventId"]], one

# The paginator walks NextToken; a token is good only for the query that made it.
pages = auditor.get_paginator("lookup_events").paginate(
    LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "GetParameter"}], PaginationConfig={"PageSize": 1})
assert sum(len(p["Events"]) for p in pages) == 3
error(lambda: auditor.lookup_events(LookupAttributes=[{"AttributeKey": "Username", "AttributeValue": "auditor"}], NextToken=by_user["NextToken"]), "InvalidNextTokenException")
error(lambda: auditor.lookup_events(NextToken="not-a-token"), "InvalidNextTokenException")
error(lambda: auditor.lookup_events(LookupAttributes=[{"AttributeKey": "Username", "AttributeValue": "a"}, {"AttributeKey": "EventName", "AttributeValue": "b"}]), "InvalidLookupAttributesException")
print("test_cloudtrail.py: all checks passed")
