#!/usr/bin/env bash
# KMS with the AWS CLI v2, as AWS's documentation does it, with only --endpoint-url added:
# https://docs.aws.amazon.com/cli/latest/reference/kms/encrypt.html and decrypt.html.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

key=$(aws_ kms create-key --description "env vars of my function" --query KeyMetadata.KeyId --output text)
aws_ kms create-alias --alias-name alias/my-function --target-key-id "$key"

# Encrypt "Top Secret" for the function's environment (AWS's documented encrypt example).
echo -n "Top Secret" > ExamplePlaintextFile
aws_ kms encrypt --key-id alias/my-function --plaintext fileb://ExamplePlaintextFile \
  --output text --query CiphertextBlob | base64 --decode > ExampleEncryptedFile

# Decrypt it (AWS's documented decrypt example): no key id needed, the blob names its key.
plaintext=$(aws_ kms decrypt --ciphertext-blob fileb://ExampleEncryptedFile --output text --query Plaintext | base64 --decode)
expect_eq "Top Secret" "$plaintext" "decrypted plaintext"

# The same with the CLI's raw text input and an encryption context.
blob=$(aws_ kms encrypt --key-id "$key" --plaintext "Top Secret" --cli-binary-format raw-in-base64-out \
  --encryption-context stage=prod --output text --query CiphertextBlob)
echo "$blob" | base64 --decode > ctx.bin
expect_error InvalidCiphertextException aws_ kms decrypt --ciphertext-blob fileb://ctx.bin --encryption-context stage=dev
expect_eq "Top Secret" "$(aws_ kms decrypt --ciphertext-blob fileb://ctx.bin --encryption-context stage=prod --output text --query Plaintext | base64 --decode)" "decrypt with context"

# Key lifecycle.
expect_eq "Enabled" "$(aws_ kms describe-key --key-id alias/my-function --query KeyMetadata.KeyState --output text)" "state"
aws_ kms disable-key --key-id "$key"
expect_error DisabledException aws_ kms decrypt --ciphertext-blob fileb://ExampleEncryptedFile
aws_ kms enable-key --key-id "$key"
aws1_ kms rotate-key-on-demand --key-id "$key" > /dev/null
expect_eq "1" "$(aws1_ kms list-key-rotations --key-id "$key" --query 'length(Rotations)' --output text)" "rotations"
expect_eq "Top Secret" "$(aws_ kms decrypt --ciphertext-blob fileb://ExampleEncryptedFile --output text --query Plaintext | base64 --decode)" "old ciphertext after rotation"
aws_ kms schedule-key-deletion --key-id "$key" --pending-window-in-days 7 > /dev/null
expect_error KMSInvalidStateException aws_ kms encrypt --key-id "$key" --plaintext fileb://ExamplePlaintextFile
aws_ kms cancel-key-deletion --key-id "$key" > /dev/null
expect_eq "Disabled" "$(aws_ kms describe-key --key-id "$key" --query KeyMetadata.KeyState --output text)" "state after cancelling deletion"

# Errors the model lists, as the CLI shows them.
expect_error NotFoundException aws_ kms describe-key --key-id alias/does-not-exist
expect_error NotFoundException aws_ kms describe-key --key-id 00000000-0000-0000-0000-000000000000
expect_error AlreadyExistsException aws_ kms create-alias --alias-name alias/my-function --target-key-id "$key"
expect_error InvalidAliasNameException aws_ kms create-alias --alias-name alias/aws/mine --target-key-id "$key"
expect_error MalformedPolicyDocumentException aws_ kms put-key-policy --key-id "$key" --policy-name default --policy '{"Statement":"nope"}'
# Issue 13: alias names as AWS checks them, and the predefined aliases listed before their key exists.
expect_error ValidationException aws_ kms create-alias --alias-name my-function --target-key-id "$key"
expect_error ValidationException aws_ kms create-alias --alias-name "alias/my:function" --target-key-id "$key"
expect_eq "alias/aws/ssm" "$(aws_ kms list-aliases --query "Aliases[?AliasName=='alias/aws/ssm'].AliasName | [0]" --output text)" "predefined alias listed"
expect_eq "None" "$(aws_ kms list-aliases --query "Aliases[?AliasName=='alias/aws/ssm'].TargetKeyId | [0]" --output text)" "no target before use"
echo "kms.sh: all checks passed"
