"""A presigned STS GetCallerIdentity URL from boto3, as `aws eks get-token` and Vault-style
identity proofs make it (issue 8): it proves who signed it, and nothing more. Resent with a body
asking for credentials, or for another action, it mints nothing."""
import os
import urllib.error
import urllib.request

import boto3

endpoint = os.environ["AWS_ENDPOINT_URL"]
region = os.environ["AWS_REGION"]
sts = boto3.client("sts", endpoint_url=endpoint, region_name=region)
url = sts.generate_presigned_url("get_caller_identity", HttpMethod="GET", ExpiresIn=60)

with urllib.request.urlopen(url) as response:
    text = response.read().decode()
assert response.status == 200, text
assert "<GetCallerIdentityResult>" in text and ":root</Arn>" in text, text


def refused(request):
    try:
        with urllib.request.urlopen(request) as response:
            raise AssertionError(f"expected a refusal, got {response.status}: {response.read()[:300]!r}")
    except urllib.error.HTTPError as e:
        body = e.read().decode()
        assert 400 <= e.code < 500, (e.code, body)
        assert "SessionToken" not in body and "SecretAccessKey" not in body, body
        return body


form = {"Content-Type": "application/x-www-form-urlencoded"}
for body in (b"Action=GetSessionToken&Version=2011-06-15",
             b"Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::111122223333:role/x&RoleSessionName=s"):
    for method in ("GET", "POST"):
        refused(urllib.request.Request(url, data=body, method=method, headers=form))

# A presigned URL may not be pointed at another operation by an unsigned header either.
json_call = urllib.request.Request(url, data=b"{}", method="POST",
                                   headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "TrentService.CreateKey"})
refused(json_call)
print("test_presigned.py: all checks passed")
