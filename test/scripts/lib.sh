# Helpers for the AWS CLI script tests. Each script runs against a fresh dev-mode server whose
# address is in $AWS_ENDPOINT_URL and whose root credentials are in the environment.
set -euo pipefail

AWS=${AWS_CLI:-/usr/bin/aws}
E=(--endpoint-url "$AWS_ENDPOINT_URL")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

aws_() { "$AWS" "${E[@]}" "$@"; }

# The AWS CLI v1 on PATH (botocore 1.43): Debian's CLI v2 (2.9) predates some newer operations,
# such as KMS RotateKeyOnDemand and ListKeyRotations.
AWS1=${AWS_CLI_V1:-$(command -v aws || true)}
aws1_() { [ -n "$AWS1" ] || fail "the AWS CLI v1 (aws on PATH) is needed for this check"; "$AWS1" "${E[@]}" "$@"; }

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_eq EXPECTED ACTUAL [WHAT]
expect_eq() {
  if [ "$1" != "$2" ]; then fail "${3:-value}: expected '$1', got '$2'"; fi
  echo "ok: ${3:-value} = '$2'"
}

# expect_error CODE COMMAND...: the command fails, and its error names CODE.
expect_error() {
  local code=$1; shift
  local out
  if out=$("$@" 2>&1); then fail "expected $code from: $*; it succeeded with: $out"; fi
  case "$out" in
    *"($code)"*) echo "ok: $code from ${*:2:3}" ;;
    *) fail "expected $code from: $*; got: $out" ;;
  esac
}
