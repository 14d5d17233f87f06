#!/usr/bin/env bash
# HMAC KMS keys with the AWS CLI v2 (issue 13): generate a MAC, verify it, and see a changed message fail.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

key=$(aws_ kms create-key --key-spec HMAC_512 --key-usage GENERATE_VERIFY_MAC --query KeyMetadata.KeyId --output text)
expect_eq "HMAC_SHA_512" "$(aws_ kms describe-key --key-id "$key" --query 'KeyMetadata.MacAlgorithms[0]' --output text)" "MAC algorithms"

echo -n "user=alice;expires=1700000000" > token.txt
aws_ kms generate-mac --key-id "$key" --message fileb://token.txt --mac-algorithm HMAC_SHA_512 \
  --output text --query Mac | base64 --decode > token.mac
expect_eq "64" "$(stat -c %s token.mac)" "MAC length"
expect_eq "True" "$(aws_ kms verify-mac --key-id "$key" --message fileb://token.txt --mac fileb://token.mac \
  --mac-algorithm HMAC_SHA_512 --query MacValid --output text)" "verify-mac"

echo -n "user=admin;expires=1700000000" > forged.txt
expect_error KMSInvalidMacException aws_ kms verify-mac --key-id "$key" --message fileb://forged.txt --mac fileb://token.mac --mac-algorithm HMAC_SHA_512
expect_error InvalidKeyUsageException aws_ kms generate-mac --key-id "$key" --message fileb://token.txt --mac-algorithm HMAC_SHA_256
expect_error InvalidKeyUsageException aws_ kms encrypt --key-id "$key" --plaintext fileb://token.txt
expect_error ValidationException aws_ kms create-key --key-spec HMAC_256 --key-usage SIGN_VERIFY
echo "kms-hmac.sh: all checks passed"
