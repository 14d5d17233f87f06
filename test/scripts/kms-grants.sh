#!/usr/bin/env bash
# KMS grants with the AWS CLI v2 (issue 13): the key's owner grants a user with no permissions the use
# of a key for Decrypt, within an encryption context; the user decrypts, then retires the grant.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
ACCOUNT=$(aws_ sts get-caller-identity --query Account --output text)

aws_ iam create-user --user-name app > /dev/null
aws_ iam create-access-key --user-name app > app.json
app_() { AWS_ACCESS_KEY_ID=$(jq -r .AccessKey.AccessKeyId app.json) AWS_SECRET_ACCESS_KEY=$(jq -r .AccessKey.SecretAccessKey app.json) "$AWS" "${E[@]}" "$@"; }
APP=arn:aws:iam::$ACCOUNT:user/app

key=$(aws_ kms create-key --query KeyMetadata.KeyId --output text)
aws_ kms encrypt --key-id "$key" --plaintext "Top Secret" --cli-binary-format raw-in-base64-out --encryption-context app=billing \
  --output text --query CiphertextBlob | base64 --decode > secret.bin
expect_error AccessDeniedException app_ kms decrypt --ciphertext-blob fileb://secret.bin --encryption-context app=billing

aws_ kms create-grant --key-id "$key" --grantee-principal "$APP" --retiring-principal "$APP" --operations Decrypt \
  --constraints EncryptionContextSubset={app=billing} --name billing-reader > grant.json
grant_id=$(jq -r .GrantId grant.json)
expect_eq "Top Secret" "$(app_ kms decrypt --ciphertext-blob fileb://secret.bin --encryption-context app=billing --output text --query Plaintext | base64 --decode)" "decrypt through the grant"
expect_error AccessDeniedException app_ kms encrypt --key-id "$key" --plaintext "x" --cli-binary-format raw-in-base64-out

# Retrying with the same name and parameters gives the same grant.
expect_eq "$grant_id" "$(aws_ kms create-grant --key-id "$key" --grantee-principal "$APP" --retiring-principal "$APP" --operations Decrypt \
  --constraints EncryptionContextSubset={app=billing} --name billing-reader --query GrantId --output text)" "idempotent grant"
expect_eq "1" "$(aws_ kms list-grants --key-id "$key" --query 'length(Grants)' --output text)" "grants"
expect_eq "billing" "$(aws_ kms list-grants --key-id "$key" --query 'Grants[0].Constraints.EncryptionContextSubset.app' --output text)" "constraint"
expect_eq "$grant_id" "$(aws_ kms list-retirable-grants --retiring-principal "$APP" --query 'Grants[0].GrantId' --output text)" "retirable"
expect_error ValidationException aws_ kms create-grant --key-id "$key" --grantee-principal "$APP" --operations Sign

# The retiring principal retires it with the token; then the user is denied again.
app_ kms retire-grant --grant-token="$(jq -r .GrantToken grant.json)"
expect_error AccessDeniedException app_ kms decrypt --ciphertext-blob fileb://secret.bin --encryption-context app=billing
expect_eq "0" "$(aws_ kms list-grants --key-id "$key" --query 'length(Grants)' --output text)" "grants after retiring"

# The key's owner revokes a grant.
other=$(aws_ kms create-grant --key-id "$key" --grantee-principal "$APP" --operations DescribeKey --query GrantId --output text)
aws_ kms revoke-grant --key-id "$key" --grant-id "$other"
expect_error NotFoundException aws_ kms revoke-grant --key-id "$key" --grant-id "$other"
echo "kms-grants.sh: all checks passed"
