"""HMAC KMS keys with boto3 (issue 13): GenerateMac, VerifyMac, KMSInvalidMacException."""
import os

import boto3
import botocore.exceptions

kms = boto3.client("kms", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"])

for spec, algorithm, length in [("HMAC_224", "HMAC_SHA_224", 28), ("HMAC_256", "HMAC_SHA_256", 32)]:
    key = kms.create_key(KeySpec=spec, KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]
    assert key["MacAlgorithms"] == [algorithm], key
    mac = kms.generate_mac(KeyId=key["KeyId"], Message=b"order=7", MacAlgorithm=algorithm)["Mac"]
    assert len(mac) == length, len(mac)
    assert kms.generate_mac(KeyId=key["KeyId"], Message=b"order=7", MacAlgorithm=algorithm)["Mac"] == mac
    assert kms.verify_mac(KeyId=key["KeyId"], Message=b"order=7", MacAlgorithm=algorithm, Mac=mac)["MacValid"]
    try:
        kms.verify_mac(KeyId=key["KeyId"], Message=b"order=8", MacAlgorithm=algorithm, Mac=mac)
        raise AssertionError("a changed message verified")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "KMSInvalidMacException", e.response
print("test_kms_hmac.py: all checks passed")
