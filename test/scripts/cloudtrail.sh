#!/usr/bin/env bash
# Who read a secret, and when: CloudTrail's LookupEvents with the AWS CLI v2, as AWS documents it
# (https://docs.aws.amazon.com/cli/latest/reference/cloudtrail/lookup-events.html), issue 9.
source "$(dirname "$0")/lib.sh"

arn=$(aws_ secretsmanager create-secret --name prod/db/password --secret-string "s3cr3t-value" --query ARN --output text)
aws_ secretsmanager get-secret-value --secret-id prod/db/password > /dev/null
aws_ secretsmanager get-secret-value --secret-id "$arn" > /dev/null
aws_ ssm put-parameter --name /app/prod/db/host --type String --value db.internal > /dev/null

# By the secret's name (without the random suffix of its ARN), newest first.
names=$(aws_ cloudtrail lookup-events --lookup-attributes AttributeKey=ResourceName,AttributeValue=prod/db/password \
  --query 'Events[].EventName' --output text)
expect_eq "GetSecretValue	GetSecretValue	CreateSecret" "$names" "events for the secret, newest first"

# By its ARN, only the reads, with who read it.
reads=$(aws_ cloudtrail lookup-events --lookup-attributes AttributeKey=ResourceName,AttributeValue="$arn" \
  --query 'length(Events[?EventName==`GetSecretValue`])' --output text)
expect_eq "2" "$reads" "reads of the secret by ARN"
expect_eq "root" "$(aws_ cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=GetSecretValue --query 'Events[0].Username' --output text)" "who read it"

# The full CloudTrail record comes along, and never the secret's value.
record=$(aws_ cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=GetSecretValue --max-results 1 --query 'Events[0].CloudTrailEvent' --output text)
case "$record" in *'"eventSource":"secretsmanager.amazonaws.com"'*) echo "ok: CloudTrailEvent is the record" ;; *) fail "CloudTrailEvent: $record" ;; esac
case "$record" in *s3cr3t-value*) fail "the secret value is in the audit trail" ;; esac

# Other attributes, a time range, and the CLI's own paging over NextToken.
expect_eq "PutParameter" "$(aws_ cloudtrail lookup-events --lookup-attributes AttributeKey=ResourceName,AttributeValue=/app/prod/db/host --query 'Events[0].EventName' --output text)" "parameter by name"
expect_eq "AWS::SSM::Parameter" "$(aws_ cloudtrail lookup-events --lookup-attributes AttributeKey=EventSource,AttributeValue=ssm.amazonaws.com --query 'Events[0].Resources[0].ResourceType' --output text)" "by event source"
expect_eq "0" "$(aws_ cloudtrail lookup-events --end-time 2000-01-01T00:00:00Z --query 'length(Events)' --output text)" "an old time range is empty"
all=$(aws_ cloudtrail lookup-events --page-size 1 --query 'Events[].EventId' --output text | wc -w)
[ "$all" -ge 4 ] || fail "paging one at a time found $all events"
echo "ok: $all events one page at a time"
expect_error InvalidTimeRangeException aws_ cloudtrail lookup-events --start-time 2030-01-01T00:00:00Z --end-time 2020-01-01T00:00:00Z
expect_error InvalidLookupAttributesException aws_ cloudtrail lookup-events --lookup-attributes AttributeKey=ReadOnly,AttributeValue=maybe
