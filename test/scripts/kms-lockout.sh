#!/usr/bin/env bash
# The key policy lockout safety check with the AWS CLI v2 (issue 13): a key policy that would stop the
# caller from changing it again is refused, unless --bypass-policy-lockout-safety-check is given.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

account=$(aws_ sts get-caller-identity --query Account --output text)
cat > read-only.json <<JSON
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::$account:root"},"Action":["kms:Describe*","kms:Get*"],"Resource":"*"}]}
JSON

key=$(aws_ kms create-key --query KeyMetadata.KeyId --output text)
expect_error MalformedPolicyDocumentException aws_ kms put-key-policy --key-id "$key" --policy-name default --policy file://read-only.json
expect_eq "kms:*" "$(aws_ kms get-key-policy --key-id "$key" --policy-name default --output text --query Policy | python3 -c 'import json,sys; print(json.load(sys.stdin)["Statement"][0]["Action"])')" "policy unchanged"
aws_ kms put-key-policy --key-id "$key" --policy-name default --policy file://read-only.json --bypass-policy-lockout-safety-check
expect_error AccessDeniedException aws_ kms put-key-policy --key-id "$key" --policy-name default --policy file://read-only.json --bypass-policy-lockout-safety-check

count=$(aws_ kms list-keys --query 'length(Keys)' --output text)
expect_error MalformedPolicyDocumentException aws_ kms create-key --policy file://read-only.json
expect_eq "$count" "$(aws_ kms list-keys --query 'length(Keys)' --output text)" "no key made"
aws_ kms create-key --policy file://read-only.json --bypass-policy-lockout-safety-check > /dev/null
echo "kms-lockout.sh: all checks passed"
