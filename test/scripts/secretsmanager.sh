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
expect_error ValidationException sm create-secret --name Empty --secret-string ''
expect_error ResourceNotFoundException sm get-secret-value --secret-id NoSuchSecret
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
labels=$(printf 'L%s ' $(seq 1 21))
expect_error ValidationException sm put-secret-value --secret-id Username --secret-string x --version-stages $labels

# Tags, description, listing with filters, sort and paging.
sm tag-resource --secret-id Username --tags Key=team,Value=payments Key=stage,Value=prod
sm untag-resource --secret-id Username --tag-keys stage
expect_eq "team=payments" "$(sm describe-secret --secret-id Username --query 'Tags[].join(`=`, [Key, Value])' --output text)" "tags"
sm update-secret --secret-id Username --description "the app's login" --secret-string third > /dev/null
expect_eq "the app's login third" "$(sm describe-secret --secret-id Username --query Description --output text) $(sm get-secret-value --secret-id Username --query SecretString --output text)" "update-secret"
for n in app/prod/db app/dev/db other; do sm create-secret --name $n --secret-string "value of $n" > /dev/null; done
expect_eq "app/dev/db app/prod/db" "$(spaced aws1_ secretsmanager list-secrets --filters Key=name,Values=app/ --sort-by name --query 'SecretList[].Name' --output text)" "name filter"
expect_eq "other" "$(sm list-secrets --filters Key=name,Values=!app/,!Username,!Later --query 'SecretList[].Name' --output text)" "negated filter"
expect_eq "Username" "$(sm list-secrets --filters Key=tag-value,Values=pay --query 'SecretList[].Name' --output text)" "tag-value filter"
expect_eq 5 "$(sm list-secrets --page-size 2 --query 'SecretList[].Name' --output text | wc -w)" "paged listing"
expect_eq "other app/prod/db" "$(spaced aws1_ secretsmanager list-secrets --sort-by name --sort-order desc --query 'SecretList[:2].Name' --output text)" "sort order"

# BatchGetSecretValue (CLI v1, botocore 1.43).
expect_eq "value of app/dev/db value of app/prod/db" "$(spaced aws1_ secretsmanager batch-get-secret-value --filters Key=name,Values=app/ --query 'sort(SecretValues[].SecretString)' --output text)" "batch by filter"
out=$(aws1_ secretsmanager batch-get-secret-value --secret-id-list other NoSuchSecret --query '[SecretValues[0].SecretString, Errors[0].ErrorCode]' --output text)
expect_eq "value of other	ResourceNotFoundException" "$out" "batch with an error"
echo "secretsmanager.sh: all checks passed"
