#!/usr/bin/env bash
# Secrets Manager with the AWS CLI v2: resource policies, random passwords, deletion and restore,
# and rotation's refusals; --endpoint-url is the only change from AWS's documented commands.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
sm() { aws_ secretsmanager "$@"; }
sm create-secret --name Username --secret-string restored > /dev/null

# Resource policies: stored and validated.
policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}'
public='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}'
expect_eq True "$(sm validate-resource-policy --resource-policy "$policy" --query PolicyValidationPassed --output text)" "valid policy"
expect_eq False "$(sm validate-resource-policy --secret-id Username --resource-policy "$public" --query PolicyValidationPassed --output text)" "public policy"
expect_error MalformedPolicyDocumentException sm validate-resource-policy --resource-policy 'not json'
sm put-resource-policy --secret-id Username --resource-policy "$policy" > /dev/null
expect_eq "$policy" "$(sm get-resource-policy --secret-id Username --query ResourcePolicy --output text)" "stored policy"
expect_error PublicPolicyException sm put-resource-policy --secret-id Username --resource-policy "$public" --block-public-policy
sm delete-resource-policy --secret-id Username > /dev/null
expect_eq None "$(sm get-resource-policy --secret-id Username --query ResourcePolicy --output text)" "policy deleted"

# GetRandomPassword, every option.
expect_eq 32 "$(sm get-random-password --query 'length(RandomPassword)' --output text)" "default length"
pw=$(sm get-random-password --password-length 40 --exclude-punctuation --exclude-uppercase --exclude-characters abc --output text)
[[ "$pw" =~ ^[d-z0-9]{40}$ ]] || fail "password '$pw' has excluded characters"
pw=$(sm get-random-password --password-length 4 --require-each-included-type --output text)
[[ "$pw" =~ [A-Z] && "$pw" =~ [a-z] && "$pw" =~ [0-9] && "$pw" =~ [^A-Za-z0-9] ]] || fail "password '$pw' lacks a required type"
expect_error InvalidParameterException sm get-random-password --password-length 3

# Rotation needs a function; an unknown one is refused.
expect_error InvalidRequestException sm rotate-secret --secret-id Username
expect_error AccessDeniedException sm rotate-secret --secret-id Username --rotation-lambda-arn arn:aws:lambda:us-east-1:111122223333:function:nothing
expect_error InvalidParameterException sm rotate-secret --secret-id Username --rotation-lambda-arn arn:aws:lambda:us-east-1:111122223333:function:coffer-postgres-single-user --rotation-rules '{"ScheduleExpression":"rate(1 hour)"}'
expect_error InvalidRequestException sm cancel-rotate-secret --secret-id Username

# Deletion and restore.
expect_error InvalidParameterException sm delete-secret --secret-id Username --recovery-window-in-days 6
sm delete-secret --secret-id Username --recovery-window-in-days 7 > /dev/null
expect_error InvalidRequestException sm get-secret-value --secret-id Username
expect_error InvalidRequestException sm create-secret --name Username --secret-string again
expect_eq "" "$(sm list-secrets --filters Key=name,Values=Username --query 'SecretList[].Name' --output text)" "deleted secret not listed"
expect_eq Username "$(aws1_ secretsmanager list-secrets --include-planned-deletion --filters Key=name,Values=Username --query 'SecretList[].Name' --output text)" "listed with IncludePlannedDeletion"
sm restore-secret --secret-id Username > /dev/null
expect_eq "restored" "$(sm get-secret-value --secret-id Username --query SecretString --output text)" "restored value"
sm delete-secret --secret-id Username --force-delete-without-recovery > /dev/null
expect_error ResourceNotFoundException sm describe-secret --secret-id Username

echo "secretsmanager-admin.sh: all checks passed"
