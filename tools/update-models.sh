#!/usr/bin/env bash
# Copies the AWS service models Coffer implements from the installed botocore.
set -euo pipefail
data=$(python3 -c 'import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), "data"))')
out="$(dirname "$0")/../src/Coffer.Server/Aws/Models"
for s in kms/2014-11-01 ssm/2014-11-06 secretsmanager/2017-10-17 iam/2010-05-08 sts/2011-06-15 cloudtrail/2013-11-01 events/2015-10-07; do
  cp "$data/$s/service-2.json.gz" "$out/${s%%/*}.json.gz"
done
python3 -c 'import botocore; print("botocore", botocore.__version__)'
