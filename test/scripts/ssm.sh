#!/usr/bin/env bash
# SSM Parameter Store with the AWS CLI v2, as AWS's documentation does it, with only --endpoint-url
# added: https://docs.aws.amazon.com/cli/latest/reference/ssm/put-parameter.html, get-parameter,
# get-parameters-by-path, label-parameter-version and get-parameter-history.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

# Create a SecureString with the account's default key, and read it back decrypted.
aws_ ssm put-parameter --name "/app/prod/db/password" --value "P@sSwW)rd" --type SecureString > put.json
expect_eq "1" "$(jq -r .Version put.json)" "first version"
expect_eq "Standard" "$(jq -r .Tier put.json)" "tier"
expect_eq "P@sSwW)rd" "$(aws_ ssm get-parameter --name /app/prod/db/password --with-decryption --query Parameter.Value --output text)" "decrypted value"

# Without decryption the value is the KMS ciphertext. Under the account's default key (alias/aws/ssm,
# an AWS managed key) only Parameter Store may use it, as in AWS (issue 5): KMS refuses it directly.
arn=$(aws_ ssm get-parameter --name /app/prod/db/password --query Parameter.ARN --output text)
expect_eq "arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/db/password" "$arn" "ARN"
aws_ ssm get-parameter --name /app/prod/db/password --query Parameter.Value --output text | base64 --decode > blob.bin
expect_error AccessDeniedException aws_ kms decrypt --ciphertext-blob fileb://blob.bin --encryption-context PARAMETER_ARN="$arn"

# A customer key, a String and a StringList, and a description.
key=$(aws_ kms create-key --description "app secrets" --query KeyMetadata.KeyId --output text)
aws_ ssm put-parameter --name /app/prod/api/key --value "k-123" --type SecureString --key-id "$key" > /dev/null
# Under a customer key, KMS opens the ciphertext with the PARAMETER_ARN context, and only with it.
aws_ ssm get-parameter --name /app/prod/api/key --query Parameter.Value --output text | base64 --decode > key-blob.bin
expect_eq "k-123" "$(aws_ kms decrypt --ciphertext-blob fileb://key-blob.bin --encryption-context PARAMETER_ARN="arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/api/key" --query Plaintext --output text | base64 --decode)" "kms decrypt of the ciphertext"
expect_error InvalidCiphertextException aws_ kms decrypt --ciphertext-blob fileb://key-blob.bin
aws_ ssm put-parameter --name /app/prod/db/host --value "db.internal" --type String --description "database host" > /dev/null
aws_ ssm put-parameter --name /app/prod/hosts --value "a,b,c" --type StringList > /dev/null
aws_ ssm put-parameter --name /app/dev/db/host --value "localhost" --type String > /dev/null
expect_eq "$key" "$(aws_ ssm describe-parameters --parameter-filters Key=Name,Values=/app/prod/api/key --query 'Parameters[0].KeyId' --output text)" "customer key id"

# The stage, recursively, decrypted, paging a page of one at a time (the CLI follows NextToken).
expect_eq "/app/prod/api/key /app/prod/db/host /app/prod/db/password /app/prod/hosts" \
  "$(aws_ ssm get-parameters-by-path --path /app/prod --recursive --with-decryption --page-size 1 --query 'Parameters[].Name' --output json | jq -r 'join(" ")')" "stage names"
expect_eq "k-123" "$(aws_ ssm get-parameters-by-path --path /app/prod/api --with-decryption --query 'Parameters[0].Value' --output text)" "by path, decrypted"
expect_eq "/app/prod/hosts" "$(aws_ ssm get-parameters-by-path --path /app/prod --query 'Parameters[].Name' --output text)" "one level"
expect_eq "2" "$(aws_ ssm get-parameters-by-path --path /app/prod --recursive --parameter-filters Key=Type,Values=SecureString --query 'length(Parameters)' --output text)" "type filter"

# Versions, labels and history (AWS's "move a label" steps).
aws_ ssm put-parameter --name /app/prod/db/password --value "n3w-P@ss" --type SecureString --overwrite > /dev/null
aws_ ssm label-parameter-version --name /app/prod/db/password --parameter-version 1 --labels Blue > label.json
expect_eq "1" "$(jq -r .ParameterVersion label.json)" "labelled version"
aws_ ssm label-parameter-version --name /app/prod/db/password --labels Blue 2ndIsInvalid > label.json
expect_eq "2" "$(jq -r .ParameterVersion label.json)" "label moved to latest"
expect_eq "2ndIsInvalid" "$(jq -r '.InvalidLabels[0]' label.json)" "invalid label"
expect_eq "n3w-P@ss" "$(aws_ ssm get-parameter --name /app/prod/db/password:Blue --with-decryption --query Parameter.Value --output text)" "by label"
expect_eq "P@sSwW)rd" "$(aws_ ssm get-parameter --name /app/prod/db/password:1 --with-decryption --query Parameter.Value --output text)" "by version"
aws_ ssm get-parameter-history --name /app/prod/db/password --with-decryption > history.json
expect_eq "P@sSwW)rd n3w-P@ss" "$(jq -r '[.Parameters[].Value] | join(" ")' history.json)" "history values"
expect_eq "Blue" "$(jq -r '.Parameters[1].Labels[0]' history.json)" "history labels"
expect_eq "arn:aws:iam::111122223333:root" "$(jq -r '.Parameters[0].LastModifiedUser' history.json)" "who"
aws_ ssm unlabel-parameter-version --name /app/prod/db/password --parameter-version 2 --labels Blue > unlabel.json
expect_eq "Blue" "$(jq -r '.RemovedLabels[0]' unlabel.json)" "unlabelled"

# Several at once, tags, and deletion.
aws_ ssm get-parameters --names /app/prod/db/host /app/prod/nope > several.json
expect_eq "db.internal" "$(jq -r '.Parameters[0].Value' several.json)" "get-parameters value"
expect_eq "/app/prod/nope" "$(jq -r '.InvalidParameters[0]' several.json)" "get-parameters invalid"
aws_ ssm add-tags-to-resource --resource-type Parameter --resource-id /app/prod/db/host --tags Key=team,Value=payments
expect_eq "payments" "$(aws_ ssm list-tags-for-resource --resource-type Parameter --resource-id /app/prod/db/host --query 'TagList[0].Value' --output text)" "tag"
expect_eq "/app/prod/db/host" "$(aws_ ssm describe-parameters --parameter-filters Key=tag:team,Values=payments --query 'Parameters[0].Name' --output text)" "tag filter"
aws_ ssm remove-tags-from-resource --resource-type Parameter --resource-id /app/prod/db/host --tag-keys team
aws_ ssm delete-parameter --name /app/dev/db/host
aws_ ssm delete-parameters --names /app/prod/hosts /app/prod/gone > deleted.json
expect_eq "/app/prod/gone" "$(jq -r '.InvalidParameters[0]' deleted.json)" "delete-parameters invalid"

# Errors the model lists, as the CLI shows them; none changes anything.
expect_error ParameterNotFound aws_ ssm get-parameter --name /app/dev/db/host
expect_error ParameterAlreadyExists aws_ ssm put-parameter --name /app/prod/db/host --value x --type String
expect_error ParameterVersionNotFound aws_ ssm get-parameter --name /app/prod/db/host:9
expect_error HierarchyTypeMismatchException aws_ ssm put-parameter --name /app/prod/db/host --value x --type SecureString --overwrite
expect_error HierarchyLevelLimitExceededException aws_ ssm put-parameter --name /1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16 --value x --type String
expect_error ValidationException aws_ ssm put-parameter --name "/app/has space" --value x --type String
expect_error ValidationException aws_ ssm put-parameter --name /aws/mine --value x --type String
expect_error InvalidKeyId aws_ ssm put-parameter --name /app/prod/other --value x --type SecureString --key-id alias/missing
expect_error ParameterPatternMismatchException aws_ ssm put-parameter --name /app/prod/port --value abc --type String --allowed-pattern '^\d+$'
expect_error InvalidNextToken aws_ ssm get-parameters-by-path --path /app --recursive --starting-token garbage
expect_error InvalidFilterKey aws_ ssm get-parameters-by-path --path /app --parameter-filters Key=Name,Values=x
aws_ ssm label-parameter-version --name /app/prod/db/host --labels l1 l2 l3 l4 l5 l6 l7 l8 l9 l10 > /dev/null
expect_error ParameterVersionLabelLimitExceeded aws_ ssm label-parameter-version --name /app/prod/db/host --labels l11
expect_eq "1" "$(aws_ ssm get-parameter --name /app/prod/db/host --query Parameter.Version --output text)" "host unchanged"
echo "ssm.sh: all checks passed"
