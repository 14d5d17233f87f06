#!/usr/bin/env bash
# IAM and STS with the AWS CLI v2, as a new user sets up access: users, access keys, inline and
# managed policies, groups, roles and AssumeRole; then every call signed as each principal in turn.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
ACCOUNT=$(aws_ sts get-caller-identity --query Account --output text)

# as_ WHO COMMAND... -- run the CLI as another principal, whose credentials are in WHO_id,
# WHO_secret and WHO_token (so that no secret is printed by expect_error).
as_() {
  local id="${1}_id" secret="${1}_secret" token="${1}_token"; shift
  AWS_ACCESS_KEY_ID=${!id} AWS_SECRET_ACCESS_KEY=${!secret} AWS_SESSION_TOKEN=${!token:-} "$AWS" "${E[@]}" "$@"
}

# A user with an access key; the secret is shown once.
aws_ iam create-user --user-name alice --path /team/ > /dev/null
expect_eq "arn:aws:iam::$ACCOUNT:user/team/alice" "$(aws_ iam get-user --user-name alice --query User.Arn --output text)" "user ARN with its path"
aws_ iam create-access-key --user-name alice > key.json
alice_id=$(jq -r .AccessKey.AccessKeyId key.json); alice_secret=$(jq -r .AccessKey.SecretAccessKey key.json); alice_token=
case "$alice_id" in AKIA*) echo "ok: access key id $alice_id" ;; *) fail "access key id $alice_id" ;; esac
expect_eq "null" "$(aws_ iam list-access-keys --user-name alice --query 'AccessKeyMetadata[0].SecretAccessKey' --output json)" "secret never listed"
expect_eq "arn:aws:iam::$ACCOUNT:user/team/alice" "$(as_ alice sts get-caller-identity --query Arn --output text)" "caller identity"

# No policy: denied, with AWS's message.
out=$(as_ alice kms create-key 2>&1 || true)
case "$out" in *"(AccessDeniedException)"*"User: arn:aws:iam::$ACCOUNT:user/team/alice is not authorized to perform: kms:CreateKey on resource: * because no identity-based policy allows the kms:CreateKey action"*) echo "ok: denied with AWS's message" ;; *) fail "expected AccessDeniedException, got: $out" ;; esac
expect_error AccessDenied as_ alice iam list-users

# An inline policy: allowed at once (the identity cache follows the change).
aws_ iam put-user-policy --user-name alice --policy-name kms-use --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:CreateKey","kms:Encrypt","kms:Decrypt","kms:DescribeKey"],"Resource":"*"}]}'
expect_eq "kms-use" "$(aws_ iam list-user-policies --user-name alice --query 'PolicyNames[0]' --output text)" "inline policy listed"
expect_eq "kms:CreateKey" "$(aws_ iam get-user-policy --user-name alice --policy-name kms-use --query 'PolicyDocument.Statement[0].Action[0]' --output text)" "policy document decoded by the CLI"
key=$(as_ alice kms create-key --query KeyMetadata.KeyId --output text)
as_ alice kms encrypt --key-id "$key" --plaintext "Top Secret" --cli-binary-format raw-in-base64-out --query CiphertextBlob --output text | base64 --decode > blob
expect_eq "Top Secret" "$(as_ alice kms decrypt --ciphertext-blob fileb://blob --query Plaintext --output text | base64 --decode)" "alice decrypts"
expect_error AccessDeniedException as_ alice kms disable-key --key-id "$key"

# A deny in a managed policy attached through a group beats the allow.
aws_ iam create-group --group-name no-decrypt > /dev/null
arn=$(aws_ iam create-policy --policy-name deny-decrypt --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"kms:Decrypt","Resource":"*"}]}' --query Policy.Arn --output text)
expect_eq "arn:aws:iam::$ACCOUNT:policy/deny-decrypt" "$arn" "policy ARN"
aws_ iam attach-group-policy --group-name no-decrypt --policy-arn "$arn"
aws_ iam add-user-to-group --group-name no-decrypt --user-name alice
expect_eq "alice" "$(aws_ iam get-group --group-name no-decrypt --query 'Users[0].UserName' --output text)" "group member"
expect_eq "deny-decrypt" "$(aws_ iam list-attached-group-policies --group-name no-decrypt --query 'AttachedPolicies[0].PolicyName' --output text)" "attached policy"
expect_eq "1" "$(aws_ iam get-policy --policy-arn "$arn" --query Policy.AttachmentCount --output text)" "attachment count"
out=$(as_ alice kms decrypt --ciphertext-blob fileb://blob 2>&1 || true)
case "$out" in *"with an explicit deny in an identity-based policy"*) echo "ok: explicit deny" ;; *) fail "expected an explicit deny, got: $out" ;; esac
expect_error DeleteConflict aws_ iam delete-policy --policy-arn "$arn"
aws_ iam create-policy-version --policy-arn "$arn" --set-as-default --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"kms:ScheduleKeyDeletion","Resource":"*"}]}' > /dev/null
expect_eq "v2" "$(aws_ iam get-policy --policy-arn "$arn" --query Policy.DefaultVersionId --output text)" "new default version"
as_ alice kms decrypt --ciphertext-blob fileb://blob > /dev/null
echo "ok: the new default version applies at once"
aws_ iam remove-user-from-group --group-name no-decrypt --user-name alice
aws_ iam detach-group-policy --group-name no-decrypt --policy-arn "$arn"
aws_ iam delete-group --group-name no-decrypt

# A role that alice may assume; its session reads only what the role allows.
cat > trust.json <<JSON
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::$ACCOUNT:root"},"Action":"sts:AssumeRole"}]}
JSON
aws_ iam create-role --role-name reader --assume-role-policy-document file://trust.json > /dev/null
aws_ iam put-role-policy --role-name reader --policy-name describe --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:DescribeKey","Resource":"*"}]}'
expect_error AccessDenied as_ alice sts assume-role --role-arn "arn:aws:iam::$ACCOUNT:role/reader" --role-session-name s1
aws_ iam put-user-policy --user-name alice --policy-name assume --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"arn:aws:iam::$ACCOUNT:role/reader\"}]}"
as_ alice sts assume-role --role-arn "arn:aws:iam::$ACCOUNT:role/reader" --role-session-name s1 > session.json
s1_id=$(jq -r .Credentials.AccessKeyId session.json); s1_secret=$(jq -r .Credentials.SecretAccessKey session.json); s1_token=$(jq -r .Credentials.SessionToken session.json)
forged_id=$s1_id; forged_secret=$s1_secret; forged_token=wrong-token
case "$s1_id" in ASIA*) echo "ok: session key $s1_id" ;; *) fail "session key $s1_id" ;; esac
expect_eq "arn:aws:sts::$ACCOUNT:assumed-role/reader/s1" "$(as_ s1 sts get-caller-identity --query Arn --output text)" "session identity"
expect_eq "$key" "$(as_ s1 kms describe-key --key-id "$key" --query KeyMetadata.KeyId --output text)" "session describes"
out=$(as_ s1 kms decrypt --ciphertext-blob fileb://blob 2>&1 || true)
case "$out" in *"User: arn:aws:sts::$ACCOUNT:assumed-role/reader/s1 is not authorized to perform: kms:Decrypt"*) echo "ok: session denied decrypt" ;; *) fail "expected the session to be denied: $out" ;; esac
expect_error InvalidClientTokenId as_ forged sts get-caller-identity
expect_error ValidationError as_ alice sts assume-role --role-arn "arn:aws:iam::$ACCOUNT:role/reader" --role-session-name s2 --duration-seconds 7200

# GetSessionToken: temporary credentials with the user's own permissions.
as_ alice sts get-session-token --duration-seconds 900 > token.json
t_id=$(jq -r .Credentials.AccessKeyId token.json); t_secret=$(jq -r .Credentials.SecretAccessKey token.json); t_token=$(jq -r .Credentials.SessionToken token.json)
expect_eq "arn:aws:iam::$ACCOUNT:user/team/alice" "$(as_ t sts get-caller-identity --query Arn --output text)" "session token identity"

# Deactivated and deleted keys are refused at once.
aws_ iam update-access-key --user-name alice --access-key-id "$alice_id" --status Inactive
expect_eq "Inactive" "$(aws_ iam list-access-keys --user-name alice --query 'AccessKeyMetadata[0].Status' --output text)" "key status"
expect_error InvalidClientTokenId as_ alice sts get-caller-identity
expect_error UnrecognizedClientException as_ alice kms describe-key --key-id "$key"
aws_ iam update-access-key --user-name alice --access-key-id "$alice_id" --status Active
as_ alice sts get-caller-identity > /dev/null
aws_ iam delete-access-key --user-name alice --access-key-id "$alice_id"
expect_error InvalidClientTokenId as_ alice sts get-caller-identity

# The errors the model lists, as the CLI shows them.
expect_error NoSuchEntity aws_ iam get-user --user-name nobody
expect_error EntityAlreadyExists aws_ iam create-user --user-name ALICE
expect_error MalformedPolicyDocument aws_ iam put-user-policy --user-name alice --policy-name bad --policy-document '{"Statement":[{"Effect":"Allow","Action":"kms","Resource":"*"}]}'
expect_error MalformedPolicyDocument aws_ iam create-role --role-name bad --assume-role-policy-document '{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*","Principal":"*"}]}'
expect_error ValidationError aws_ iam create-user --user-name 'not a valid name!'
expect_error DeleteConflict aws_ iam delete-role --role-name reader
expect_error DeleteConflict aws_ iam delete-user --user-name alice
aws_ iam delete-user-policy --user-name alice --policy-name kms-use
aws_ iam delete-user-policy --user-name alice --policy-name assume
aws_ iam delete-user --user-name alice
expect_error NoSuchEntity aws_ iam get-user --user-name alice
aws_ iam delete-role-policy --role-name reader --policy-name describe
aws_ iam delete-role --role-name reader
expect_eq "0" "$(aws_ iam list-roles --query 'length(Roles)' --output text)" "roles left"
echo "iam.sh: all checks passed"
