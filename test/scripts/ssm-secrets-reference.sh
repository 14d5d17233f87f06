#!/usr/bin/env bash
# Reading a Secrets Manager secret through Parameter Store, as AWS's documentation does it
# (https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html).
source "$(dirname "$0")/lib.sh"

version=$(aws_ secretsmanager create-secret --name s1-secret --secret-string 'Fl*MEishm!al875' --query VersionId --output text)
arn=$(aws_ secretsmanager describe-secret --secret-id s1-secret --query ARN --output text)

# Example 1: by name.
expect_eq 'Fl*MEishm!al875' "$(aws_ ssm get-parameter --name /aws/reference/secretsmanager/s1-secret --with-decryption --query Parameter.Value --output text)" "value through Parameter Store"
expect_eq "SecureString" "$(aws_ ssm get-parameter --name /aws/reference/secretsmanager/s1-secret --with-decryption --query Parameter.Type --output text)" "type"
expect_eq "$arn" "$(aws_ ssm get-parameter --name /aws/reference/secretsmanager/s1-secret --with-decryption --query Parameter.ARN --output text)" "ARN is the secret's"
source_version=$(aws_ ssm get-parameter --name /aws/reference/secretsmanager/s1-secret --with-decryption --query Parameter.SourceResult --output text | python3 -c 'import json,sys; print(json.load(sys.stdin)["VersionId"])')
expect_eq "$version" "$source_version" "SourceResult names the version"

# Examples 2 and 3: by version id, and by staging label.
expect_eq ":$version" "$(aws_ ssm get-parameter --name "/aws/reference/secretsmanager/s1-secret:$version" --with-decryption --query Parameter.Selector --output text)" "selector by version id"
aws_ secretsmanager put-secret-value --secret-id s1-secret --secret-string 'second' > /dev/null
expect_eq "second" "$(aws_ ssm get-parameter --name /aws/reference/secretsmanager/s1-secret:AWSCURRENT --with-decryption --query Parameter.Value --output text)" "by AWSCURRENT"
expect_eq 'Fl*MEishm!al875' "$(aws_ ssm get-parameter --name /aws/reference/secretsmanager/s1-secret:AWSPREVIOUS --with-decryption --query Parameter.Value --output text)" "by AWSPREVIOUS"

# GetParameters mixes references and parameters; unknown secrets come back as invalid.
aws_ ssm put-parameter --name /app/prod/region --type String --value eu-west-1 > /dev/null
out=$(aws_ ssm get-parameters --names /aws/reference/secretsmanager/s1-secret /aws/reference/secretsmanager/nope /app/prod/region --with-decryption --query '[length(Parameters), InvalidParameters[0]]' --output text)
expect_eq "2	/aws/reference/secretsmanager/nope" "$out" "get-parameters"

# The restrictions AWS documents.
expect_error ValidationException aws_ ssm get-parameter --name /aws/reference/secretsmanager/s1-secret
expect_error ParameterNotFound aws_ ssm get-parameter --name /aws/reference/secretsmanager/nope --with-decryption
expect_error ValidationException aws_ ssm put-parameter --name /aws/reference/secretsmanager/x --type String --value v
echo "ssm-secrets-reference.sh: all checks passed"
