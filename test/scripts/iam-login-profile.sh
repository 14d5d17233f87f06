#!/usr/bin/env bash
# Login profiles (issue 15) with the AWS CLI v2: an administrator gives a user a console password,
# the user changes it, and the password never shows up again, in any answer or in the audit trail.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
PASS='Tr0ub4dor&3-canary'

aws_ iam create-user --user-name carol > /dev/null
out=$(aws_ iam create-login-profile --user-name carol --password "$PASS" --password-reset-required)
expect_eq "carol" "$(echo "$out" | jq -r .LoginProfile.UserName)" "profile's user"
expect_eq "true" "$(echo "$out" | jq -r .LoginProfile.PasswordResetRequired)" "reset required"
case "$out" in *"$PASS"*) fail "the password came back" ;; esac
expect_eq "carol" "$(aws_ iam get-login-profile --user-name carol --query LoginProfile.UserName --output text)" "get-login-profile"

expect_error EntityAlreadyExists aws_ iam create-login-profile --user-name carol --password "$PASS"
aws_ iam create-user --user-name dave > /dev/null
expect_error PasswordPolicyViolation aws_ iam create-login-profile --user-name dave --password short
expect_error PasswordPolicyViolation aws_ iam create-login-profile --user-name dave --password alllowercaseletters
expect_error NoSuchEntity aws_ iam get-login-profile --user-name dave
expect_error NoSuchEntity aws_ iam create-login-profile --user-name ghost --password "$PASS"

aws_ iam update-login-profile --user-name carol --no-password-reset-required
expect_eq "False" "$(aws_ iam get-login-profile --user-name carol --query LoginProfile.PasswordResetRequired --output text)" "reset cleared"
expect_error PasswordPolicyViolation aws_ iam update-login-profile --user-name carol --password abc

# The user changes their own password with their own key; a wrong old password is refused.
aws_ iam create-access-key --user-name carol > key.json
carol() { AWS_ACCESS_KEY_ID=$(jq -r .AccessKey.AccessKeyId key.json) AWS_SECRET_ACCESS_KEY=$(jq -r .AccessKey.SecretAccessKey key.json) "$AWS" "${E[@]}" "$@"; }
aws_ iam put-user-policy --user-name carol --policy-name own-password --policy-document \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ChangePassword","iam:GetLoginProfile"],"Resource":"arn:aws:iam::*:user/${aws:username}"}]}'
expect_error AccessDenied carol iam change-password --old-password 'Wrong-0ld-password' --new-password 'N3w-Passw0rd!'
carol iam change-password --old-password "$PASS" --new-password 'N3w-Passw0rd!'
echo "ok: carol changed her password"
expect_error InvalidUserType aws_ iam change-password --old-password "$PASS" --new-password 'N3w-Passw0rd!'

# A user with a password cannot be deleted until it is removed.
aws_ iam delete-access-key --user-name carol --access-key-id "$(jq -r .AccessKey.AccessKeyId key.json)"
aws_ iam delete-user-policy --user-name carol --policy-name own-password
expect_error DeleteConflict aws_ iam delete-user --user-name carol
aws_ iam delete-login-profile --user-name carol
expect_error NoSuchEntity aws_ iam delete-login-profile --user-name carol
aws_ iam delete-user --user-name carol
echo "ok: deleted after its login profile"

# Neither password is in the audit trail.
trail=$(aws_ cloudtrail lookup-events --max-results 50)
case "$trail" in *"$PASS"*|*"N3w-Passw0rd"*) fail "a password is in the audit trail" ;; esac
expect_eq "CreateLoginProfile" "$(echo "$trail" | jq -r '[.Events[] | select(.EventName == "CreateLoginProfile")][0].EventName')" "audited"
