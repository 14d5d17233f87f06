#!/usr/bin/env bash
# Issue 5's scenario with the AWS CLI v2, signed as each principal in turn: a dev role reads
# /app/dev/* and not /app/prod/*; a prod function role reads /app/prod/* and decrypts with the prod
# key; a key administrator manages the prod key but cannot decrypt with it; a secret's resource
# policy grants the prod role read. test/python/test_access_scenario.py is the same with boto3.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
ACCOUNT=$(aws_ sts get-caller-identity --query Account --output text)
REGION=$AWS_REGION

as_() {
  local id="${1}_id" secret="${1}_secret" token="${1}_token"; shift
  AWS_ACCESS_KEY_ID=${!id} AWS_SECRET_ACCESS_KEY=${!secret} AWS_SESSION_TOKEN=${!token:-} "$AWS" "${E[@]}" "$@"
}
# as1_ NAME ...: the same with the AWS CLI v1, for operations newer than Debian's CLI v2.
as1_() { [ -n "$AWS1" ] || fail "the AWS CLI v1 (aws on PATH) is needed for this check"; AWS=$AWS1 as_ "$@"; }
# assume NAME ROLE: credentials of a session of ROLE in NAME_id, NAME_secret, NAME_token.
assume() {
  aws_ sts assume-role --role-arn "arn:aws:iam::$ACCOUNT:role/$2" --role-session-name "$1" > "$1.json"
  printf -v "${1}_id" %s "$(jq -r .Credentials.AccessKeyId "$1.json")"
  printf -v "${1}_secret" %s "$(jq -r .Credentials.SecretAccessKey "$1.json")"
  printf -v "${1}_token" %s "$(jq -r .Credentials.SessionToken "$1.json")"
}
# denied MESSAGE-PART COMMAND...: the command fails with AccessDeniedException and AWS's message.
denied() {
  local part=$1; shift
  local out
  if out=$("$@" 2>&1); then fail "expected a denial from: $*; it succeeded"; fi
  case "$out" in *"(AccessDeniedException)"*"User: "*"$part"*) echo "ok: denied: $part" ;; *) fail "expected a denial ($part), got: $out" ;; esac
}

cat > trust.json <<JSON
{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"},
  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::$ACCOUNT:root"},"Action":"sts:AssumeRole"}]}
JSON
aws_ iam create-role --role-name dev-fn --assume-role-policy-document file://trust.json > /dev/null
aws_ iam create-role --role-name prod-fn --assume-role-policy-document file://trust.json > /dev/null
# Each role reads its stage's parameters, and secrets through Parameter Store's
# /aws/reference/secretsmanager/, where Secrets Manager's policies still decide. The dev role also
# lists secrets and reads its stage's; the prod role's read of its secret is granted by the secret.
cat > dev-policy.json <<JSON
{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"ssm:GetParameter*","Resource":["arn:aws:ssm:$REGION:$ACCOUNT:parameter/app/dev","arn:aws:ssm:$REGION:$ACCOUNT:parameter/app/dev/*","arn:aws:ssm:$REGION:$ACCOUNT:parameter/aws/reference/secretsmanager/*"]},
  {"Effect":"Allow","Action":["secretsmanager:ListSecrets","secretsmanager:BatchGetSecretValue"],"Resource":"*"},
  {"Effect":"Allow","Action":["secretsmanager:DescribeSecret","secretsmanager:GetSecretValue"],"Resource":"arn:aws:secretsmanager:$REGION:$ACCOUNT:secret:app/dev/*"}]}
JSON
cat > prod-policy.json <<JSON
{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"ssm:GetParameter*","Resource":["arn:aws:ssm:$REGION:$ACCOUNT:parameter/app/prod","arn:aws:ssm:$REGION:$ACCOUNT:parameter/app/prod/*","arn:aws:ssm:$REGION:$ACCOUNT:parameter/aws/reference/secretsmanager/*"]}]}
JSON
aws_ iam put-role-policy --role-name dev-fn --policy-name stage --policy-document file://dev-policy.json
aws_ iam put-role-policy --role-name prod-fn --policy-name stage --policy-document file://prod-policy.json
aws_ iam create-user --user-name key-admin > /dev/null
aws_ iam put-user-policy --user-name key-admin --policy-name kms --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}'
aws_ iam create-access-key --user-name key-admin > admin.json
admin_id=$(jq -r .AccessKey.AccessKeyId admin.json); admin_secret=$(jq -r .AccessKey.SecretAccessKey admin.json); admin_token=

# The prod key: its administrator manages it, the prod function uses it, the account does not decrypt.
cat > key-policy.json <<JSON
{"Version":"2012-10-17","Statement":[
  {"Sid":"Account","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::$ACCOUNT:root"},"Action":["kms:Describe*","kms:Get*","kms:List*","kms:PutKeyPolicy","kms:Encrypt"],"Resource":"*"},
  {"Sid":"KeyAdministrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::$ACCOUNT:user/key-admin"},
   "Action":["kms:Create*","kms:Describe*","kms:Enable*","kms:List*","kms:Put*","kms:Update*","kms:Revoke*","kms:Disable*","kms:Get*","kms:Delete*","kms:TagResource","kms:UntagResource","kms:ScheduleKeyDeletion","kms:CancelKeyDeletion"],"Resource":"*"},
  {"Sid":"KeyUsers","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::$ACCOUNT:role/prod-fn"},"Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*"}]}
JSON
key=$(aws_ kms create-key --description prod --policy file://key-policy.json --bypass-policy-lockout-safety-check --query KeyMetadata.KeyId --output text)
as_ admin kms create-alias --alias-name alias/prod --target-key-id "$key"
aws_ ssm put-parameter --name /app/dev/db/password --type SecureString --value dev-secret > /dev/null
aws_ ssm put-parameter --name /app/dev/db/host --type String --value dev-db > /dev/null
aws_ ssm put-parameter --name /app/prod/db/password --type SecureString --key-id alias/prod --value prod-secret > /dev/null

assume dev dev-fn
assume prod prod-fn

expect_eq "dev-secret" "$(as_ dev ssm get-parameter --name /app/dev/db/password --with-decryption --query Parameter.Value --output text)" "dev reads dev"
denied "assumed-role/dev-fn/dev is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:$REGION:$ACCOUNT:parameter/app/prod/db/password because no identity-based policy allows the ssm:GetParameter action" \
  as_ dev ssm get-parameter --name /app/prod/db/password --with-decryption
expect_eq "/app/dev/db/host /app/dev/db/password" "$(as_ dev ssm get-parameters-by-path --path /app/dev --recursive --query 'sort(Parameters[].Name)' --output text | tr '\t' ' ')" "dev lists its stage"

expect_eq "prod-secret" "$(as_ prod ssm get-parameter --name /app/prod/db/password --with-decryption --query Parameter.Value --output text)" "prod reads and decrypts prod"
denied "ssm:GetParameter on resource: arn:aws:ssm:$REGION:$ACCOUNT:parameter/app/dev/db/password" as_ prod ssm get-parameter --name /app/dev/db/password

as_ admin kms disable-key --key-id "$key"
expect_eq "Disabled" "$(as_ admin kms describe-key --key-id "$key" --query KeyMetadata.KeyState --output text)" "admin disabled the key"
as_ admin kms enable-key --key-id "$key"
aws_ ssm get-parameter --name /app/prod/db/password --query Parameter.Value --output text | base64 --decode > prod.blob
denied "user/key-admin is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:$REGION:$ACCOUNT:key/$key because no resource-based policy allows the kms:Decrypt action" \
  as_ admin kms decrypt --ciphertext-blob fileb://prod.blob --encryption-context "PARAMETER_ARN=arn:aws:ssm:$REGION:$ACCOUNT:parameter/app/prod/db/password"
denied "kms:Decrypt" aws_ ssm get-parameter --name /app/prod/db/password --with-decryption

# A secret's resource policy grants the prod role read; nobody else has a policy that allows it,
# directly or through Parameter Store (where the roles may read /aws/reference/secretsmanager/*).
aws_ secretsmanager create-secret --name app/dev/db --secret-string dev-db-secret > /dev/null
secret=$(aws_ secretsmanager create-secret --name app/prod/db --secret-string prod-db-secret --query ARN --output text)
prod_reads='{"Sid":"ProdReads","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::'"$ACCOUNT"':role/prod-fn"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}'
aws_ secretsmanager put-resource-policy --secret-id app/prod/db --resource-policy "{\"Version\":\"2012-10-17\",\"Statement\":[$prod_reads]}" > /dev/null
expect_eq "prod-db-secret" "$(as_ prod secretsmanager get-secret-value --secret-id app/prod/db --query SecretString --output text)" "prod reads its secret"
# A denial names the secret as the caller did (as AWS does), so it says nothing of whether it exists.
denied "assumed-role/dev-fn/dev is not authorized to perform: secretsmanager:GetSecretValue on resource: app/prod/db because no identity-based policy allows the secretsmanager:GetSecretValue action" \
  as_ dev secretsmanager get-secret-value --secret-id app/prod/db
denied "assumed-role/dev-fn/dev is not authorized to perform: secretsmanager:GetSecretValue on resource: app/prod/nothing-here because no identity-based policy allows the secretsmanager:GetSecretValue action" \
  as_ dev secretsmanager get-secret-value --secret-id app/prod/nothing-here
denied "user/key-admin is not authorized to perform: secretsmanager:GetSecretValue on resource: $secret because no identity-based policy allows the secretsmanager:GetSecretValue action" \
  as_ admin secretsmanager get-secret-value --secret-id "$secret"
denied "assumed-role/dev-fn/dev is not authorized to perform: secretsmanager:GetSecretValue on resource: app/prod/db" \
  as_ dev ssm get-parameter --name /aws/reference/secretsmanager/app/prod/db --with-decryption
expect_eq "app/dev/db" "$(as_ dev secretsmanager list-secrets --query 'SecretList[].Name' --output text)" "dev lists only the secrets it may describe"
# BatchGetSecretValue by filter selects among what ListSecrets shows: no error names the prod secret.
expect_eq '["app/dev/db",0]' "$(as1_ dev secretsmanager batch-get-secret-value --filters Key=name,Values=app/ | jq -c '[.SecretValues[].Name, (.Errors | length)]')" "dev's batch by filter"

# An explicit Deny in the secret's policy beats the key administrator's identity Allow (which alone
# would let it read, as test_access_scenario.py shows).
aws_ iam put-user-policy --user-name key-admin --policy-name secrets --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}'
only_prod='{"Sid":"OnlyProdReads","Effect":"Deny","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::'"$ACCOUNT"':role/prod-fn"}}}'
aws_ secretsmanager put-resource-policy --secret-id app/prod/db --resource-policy "{\"Version\":\"2012-10-17\",\"Statement\":[$prod_reads,$only_prod]}" > /dev/null
denied "user/key-admin is not authorized to perform: secretsmanager:GetSecretValue on resource: app/prod/db with an explicit deny in a resource-based policy" \
  as_ admin secretsmanager get-secret-value --secret-id app/prod/db
echo "access-scenario.sh: all checks passed"
