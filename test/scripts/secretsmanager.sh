#!/usr/bin/env bash
# Secrets Manager with the AWS CLI v2, as AWS's documentation does it, with only --endpoint-url
# added: https://docs.aws.amazon.com/cli/latest/reference/secretsmanager/. BatchGetSecretValue is
# newer than Debian's CLI v2, so it goes through the CLI v1 (botocore 1.43).
source "$(dirname "$0")/lib.sh"
cd "$WORK"
sm() { aws_ secretsmanager "$@"; }
# Lists print tab-separated in text output; compare them space-separated.
spaced() { "$@" | tr '\t' ' '; }

# The user's first steps: create a secret, read it back.
arn=$(sm create-secret --name Username --secret-string MyUsername --description "the app's user" --query ARN --output text)
case "$arn" in arn:aws:secretsmanager:*:secret:Username-??????) echo "ok: ARN $arn" ;; *) fail "ARN $arn does not end in -XXXXXX" ;; esac
expect_eq MyUsername "$(sm get-secret-value --secret-id Username --query SecretString --output text)" "value by name"
expect_eq MyUsername "$(sm get-secret-value --secret-id "$arn" --query SecretString --output text)" "value by ARN"
expect_eq MyUsername "$(sm get-secret-value --secret-id "${arn%-??????}" --query SecretString --output text)" "value by partial ARN"

# Errors for bad input, with AWS's codes.
expect_error ResourceExistsException sm create-secret --name Username --secret-string other
expect_error InvalidParameterException sm create-secret --name 'bad name' --secret-string x
expect_error InvalidParameterException sm create-secret --name Both --secret-string x --secret-binary fileb://<(printf 'y')
expect_error ValidationException sm create-secret --name Empty --secret-string ''
head -c 65537 /dev/zero | tr '\0' a > big.txt
expect_error ValidationException sm create-secret --name Big --secret-string file://big.txt
expect_error ResourceNotFoundException sm get-secret-value --secret-id NoSuchSecret
expect_error ResourceNotFoundException sm get-secret-value --secret-id Username --version-stage AWSPENDING
expect_error InvalidRequestException sm put-secret-value --secret-id Username

# A secret made without a value has no version until one is put.
sm create-secret --name Later > /dev/null
expect_error ResourceNotFoundException sm get-secret-value --secret-id Later
sm put-secret-value --secret-id Later --secret-binary fileb://<(printf '\x00\x01binary') > /dev/null
sm get-secret-value --secret-id Later --query SecretBinary --output text | base64 --decode > got.bin
expect_eq "$(printf '\x00\x01binary' | base64)" "$(base64 < got.bin)" "binary value"

# ClientRequestToken idempotency: the same token and value change nothing; another value is refused.
token=11111111-2222-3333-4444-555555555555
v1=$(sm put-secret-value --secret-id Username --client-request-token $token --secret-string second --query VersionId --output text)
expect_eq $token "$v1" "VersionId is the token"
expect_eq $token "$(sm put-secret-value --secret-id Username --client-request-token $token --secret-string second --query VersionId --output text)" "retry with the same token and value"
expect_error ResourceExistsException sm put-secret-value --secret-id Username --client-request-token $token --secret-string third
expect_eq 2 "$(sm list-secret-version-ids --secret-id Username --query 'length(Versions)' --output text)" "versions after the retries"

# Staging labels move as AWS moves them.
first=$(sm list-secret-version-ids --secret-id Username --query "Versions[?contains(VersionStages, 'AWSPREVIOUS')].VersionId" --output text)
expect_eq MyUsername "$(sm get-secret-value --secret-id Username --version-stage AWSPREVIOUS --query SecretString --output text)" "AWSPREVIOUS"
expect_eq second "$(sm get-secret-value --secret-id Username --version-id $token --version-stage AWSCURRENT --query SecretString --output text)" "by id and stage"
expect_error InvalidRequestException sm get-secret-value --secret-id Username --version-id $token --version-stage AWSPREVIOUS
sm update-secret-version-stage --secret-id Username --version-stage AWSCURRENT --move-to-version-id "$first" --remove-from-version-id $token > /dev/null
expect_eq MyUsername "$(sm get-secret-value --secret-id Username --query SecretString --output text)" "rolled back to the first version"
expect_eq AWSPREVIOUS "$(sm get-secret-value --secret-id Username --version-id $token --query 'VersionStages[0]' --output text)" "AWSPREVIOUS follows AWSCURRENT"
expect_error InvalidParameterException sm update-secret-version-stage --secret-id Username --version-stage AWSCURRENT --move-to-version-id $token
sm update-secret-version-stage --secret-id Username --version-stage MyLabel --move-to-version-id $token > /dev/null
expect_eq "AWSPREVIOUS MyLabel" "$(spaced sm get-secret-value --secret-id Username --version-stage MyLabel --query 'VersionStages' --output text)" "custom label"
sm update-secret-version-stage --secret-id Username --version-stage MyLabel --remove-from-version-id $token > /dev/null
sm put-secret-value --secret-id Username --secret-string labelled --version-stages Blue > /dev/null
expect_eq MyUsername "$(sm get-secret-value --secret-id Username --query SecretString --output text)" "a version with other labels leaves AWSCURRENT"
expect_eq labelled "$(sm get-secret-value --secret-id Username --version-stage Blue --query SecretString --output text)" "custom label on put"
labels=$(printf 'L%s ' $(seq 1 21))
expect_error ValidationException sm put-secret-value --secret-id Username --secret-string x --version-stages $labels

# UpdateSecret: metadata, a new value, a new key (existing labelled versions re-encrypted).
key=$(aws_ kms create-key --query KeyMetadata.KeyId --output text)
sm update-secret --secret-id Username --description "renamed" --kms-key-id "$key" > /dev/null
expect_eq MyUsername "$(sm get-secret-value --secret-id Username --query SecretString --output text)" "value after a change of key"
expect_eq "$key" "$(sm describe-secret --secret-id Username --query KmsKeyId --output text)" "KmsKeyId"
sm update-secret --secret-id Username --secret-string third > /dev/null
expect_eq third "$(sm get-secret-value --secret-id Username --query SecretString --output text)" "update-secret value"
aws_ kms disable-key --key-id "$key"
expect_error DecryptionFailure sm get-secret-value --secret-id Username
expect_error EncryptionFailure sm put-secret-value --secret-id Username --secret-string fourth
aws_ kms enable-key --key-id "$key"

# Tags, description, listing with filters, sort and paging.
sm tag-resource --secret-id Username --tags Key=team,Value=payments Key=stage,Value=prod
sm untag-resource --secret-id Username --tag-keys stage
expect_eq "team=payments" "$(sm describe-secret --secret-id Username --query 'Tags[].join(`=`, [Key, Value])' --output text)" "tags"
expect_error InvalidParameterException sm tag-resource --secret-id Username --tags Key=aws:x,Value=y
for n in app/prod/db app/dev/db other; do sm create-secret --name $n --secret-string "value of $n" > /dev/null; done
expect_eq "app/dev/db app/prod/db" "$(spaced aws1_ secretsmanager list-secrets --filters Key=name,Values=app/ --sort-by name --query 'SecretList[].Name' --output text)" "name filter"
expect_eq "other" "$(sm list-secrets --filters Key=name,Values=!app/,!Username,!Later --query 'SecretList[].Name' --output text)" "negated filter"
expect_eq "Username" "$(sm list-secrets --filters Key=tag-value,Values=pay --query 'SecretList[].Name' --output text)" "tag-value filter"
expect_eq "Username" "$(sm list-secrets --filters Key=all,Values=Payments --query 'SecretList[].Name' --output text)" "all filter"
expect_eq 5 "$(sm list-secrets --page-size 2 --query 'SecretList[].Name' --output text | wc -w)" "paged listing"
expect_eq "other app/prod/db" "$(spaced aws1_ secretsmanager list-secrets --sort-by name --sort-order desc --query 'SecretList[:2].Name' --output text)" "sort order"

# BatchGetSecretValue (CLI v1, botocore 1.43).
expect_eq "value of app/dev/db value of app/prod/db" "$(spaced aws1_ secretsmanager batch-get-secret-value --filters Key=name,Values=app/ --query 'sort(SecretValues[].SecretString)' --output text)" "batch by filter"
out=$(aws1_ secretsmanager batch-get-secret-value --secret-id-list other NoSuchSecret --query '[SecretValues[0].SecretString, Errors[0].ErrorCode]' --output text)
expect_eq "value of other	ResourceNotFoundException" "$out" "batch with an error"
expect_error InvalidParameterException aws1_ secretsmanager batch-get-secret-value --secret-id-list other --filters Key=name,Values=x

# Resource policies: stored and validated.
policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}'
public='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}'
expect_eq True "$(sm validate-resource-policy --resource-policy "$policy" --query PolicyValidationPassed --output text)" "valid policy"
expect_eq False "$(sm validate-resource-policy --secret-id other --resource-policy "$public" --query PolicyValidationPassed --output text)" "public policy"
expect_error MalformedPolicyDocumentException sm validate-resource-policy --resource-policy 'not json'
sm put-resource-policy --secret-id other --resource-policy "$policy" > /dev/null
expect_eq "$policy" "$(sm get-resource-policy --secret-id other --query ResourcePolicy --output text)" "stored policy"
expect_error PublicPolicyException sm put-resource-policy --secret-id other --resource-policy "$public" --block-public-policy
expect_error MalformedPolicyDocumentException sm put-resource-policy --secret-id other --resource-policy '{"Statement":[{"Effect":"Allow","Action":"x","Resource":"*"}]}'
sm delete-resource-policy --secret-id other > /dev/null
expect_eq None "$(sm get-resource-policy --secret-id other --query ResourcePolicy --output text)" "policy deleted"

# GetRandomPassword, every option.
expect_eq 32 "$(sm get-random-password --query 'length(RandomPassword)' --output text)" "default length"
pw=$(sm get-random-password --password-length 40 --exclude-punctuation --exclude-uppercase --exclude-characters abc --output text)
[[ "$pw" =~ ^[d-z0-9]{40}$ ]] || fail "password '$pw' has excluded characters"
pw=$(sm get-random-password --password-length 4 --require-each-included-type --output text)
[[ "$pw" =~ [A-Z] && "$pw" =~ [a-z] && "$pw" =~ [0-9] && "$pw" =~ [^A-Za-z0-9] ]] || fail "password '$pw' lacks a required type"
pw=$(sm get-random-password --password-length 30 --exclude-numbers --exclude-lowercase --exclude-uppercase --exclude-punctuation --include-space --output text)
expect_eq 30 "${#pw}" "spaces only"
expect_error InvalidParameterException sm get-random-password --password-length 3
expect_error InvalidParameterException sm get-random-password --exclude-numbers --exclude-lowercase --exclude-uppercase --exclude-punctuation
expect_error ValidationException sm get-random-password --password-length 4097

# Deletion and restore.
expect_error InvalidParameterException sm delete-secret --secret-id other --recovery-window-in-days 6
expect_error InvalidParameterException sm delete-secret --secret-id other --recovery-window-in-days 7 --force-delete-without-recovery
sm delete-secret --secret-id other --recovery-window-in-days 7 > /dev/null
expect_error InvalidRequestException sm get-secret-value --secret-id other
expect_error InvalidRequestException sm create-secret --name other --secret-string again
expect_error InvalidRequestException sm delete-secret --secret-id other
expect_eq "" "$(sm list-secrets --filters Key=name,Values=other --query 'SecretList[].Name' --output text)" "deleted secret not listed"
expect_eq other "$(aws1_ secretsmanager list-secrets --include-planned-deletion --filters Key=name,Values=other --query 'SecretList[].Name' --output text)" "listed with IncludePlannedDeletion"
sm describe-secret --secret-id other --query DeletedDate --output text | grep -q 20 || fail "DeletedDate missing"
sm restore-secret --secret-id other > /dev/null
expect_eq "value of other" "$(sm get-secret-value --secret-id other --query SecretString --output text)" "restored value"
sm delete-secret --secret-id other --force-delete-without-recovery > /dev/null
expect_error ResourceNotFoundException sm describe-secret --secret-id other
sm delete-secret --secret-id other --force-delete-without-recovery > /dev/null
sm create-secret --name other --secret-string reborn > /dev/null
expect_eq reborn "$(sm get-secret-value --secret-id other --query SecretString --output text)" "name free after a forced deletion"

# Rotation needs a function; an unknown one is refused.
expect_error InvalidRequestException sm rotate-secret --secret-id other
expect_error AccessDeniedException sm rotate-secret --secret-id other --rotation-lambda-arn arn:aws:lambda:us-east-1:111122223333:function:nothing
expect_error InvalidParameterException sm rotate-secret --secret-id other --rotation-lambda-arn arn:aws:lambda:us-east-1:111122223333:function:coffer-postgres-single-user --rotation-rules '{"ScheduleExpression":"rate(1 hour)"}'
expect_error InvalidParameterException sm rotate-secret --secret-id other --rotation-lambda-arn arn:aws:lambda:us-east-1:111122223333:function:coffer-postgres-single-user --rotation-rules '{"ScheduleExpression":"cron(0 * * * ? *)"}'
expect_error InvalidParameterException sm rotate-secret --secret-id other --rotation-lambda-arn arn:aws:lambda:us-east-1:111122223333:function:coffer-postgres-single-user --rotation-rules '{"AutomaticallyAfterDays":3,"ScheduleExpression":"rate(3 days)"}'
expect_error InvalidParameterException sm rotate-secret --secret-id other --rotation-lambda-arn arn:aws:lambda:us-east-1:111122223333:function:coffer-postgres-single-user --rotation-rules '{"ScheduleExpression":"cron(0 20 * * ? *)","Duration":"6h"}'
expect_error InvalidRequestException sm cancel-rotate-secret --secret-id other
echo "secretsmanager.sh: all checks passed"
