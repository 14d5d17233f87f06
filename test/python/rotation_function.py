"""AWS's rotation function template (SecretsManagerRotationTemplate/lambda_function.py), ported with
little change to run as an HTTP endpoint for Coffer: it gets the Lambda event as a JSON POST and
reaches Secrets Manager with boto3 at SECRETS_MANAGER_ENDPOINT (or the address in ENDPOINT_FILE), as
AWS's templates do.

The "service" whose password it rotates is a file (SERVICE_FILE) holding the password it accepts.
For failure tests: FAIL_STEP makes that step raise, SLEEP_STEP makes it take SLEEP_SECONDS (with
BLOCK_FILE: only while that file exists, and at most SLEEP_SECONDS).
EVENTS_FILE, if set, gets every event received, one JSON per line.
Prints "listening on PORT" once ready.
"""
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3


def endpoint():
    """SECRETS_MANAGER_ENDPOINT, or the address in ENDPOINT_FILE read at each call (a test that
    restarts the server on another port points the function at the new one)."""
    path = os.environ.get('ENDPOINT_FILE')
    if path:
        with open(path) as f:
            return f.read().strip()
    return os.environ['SECRETS_MANAGER_ENDPOINT']


def lambda_handler(event, context):
    arn = event['SecretId']
    token = event['ClientRequestToken']
    step = event['Step']

    service_client = boto3.client('secretsmanager', endpoint_url=endpoint())

    metadata = service_client.describe_secret(SecretId=arn)
    if not metadata['RotationEnabled']:
        raise ValueError("Secret %s is not enabled for rotation" % arn)
    versions = metadata['VersionIdsToStages']
    if token not in versions:
        raise ValueError("Secret version %s has no stage for rotation of secret %s." % (token, arn))
    if "AWSCURRENT" in versions[token]:
        return
    elif "AWSPENDING" not in versions[token]:
        raise ValueError("Secret version %s not set as AWSPENDING for rotation of secret %s." % (token, arn))

    if os.environ.get('SLEEP_STEP') == step:
        seconds = float(os.environ.get('SLEEP_SECONDS', '5'))
        block = os.environ.get('BLOCK_FILE')
        if block:
            deadline = time.time() + seconds
            while os.path.exists(block) and time.time() < deadline:
                time.sleep(0.1)
        else:
            time.sleep(seconds)
    if os.environ.get('FAIL_STEP') == step:
        raise ValueError("%s failed on purpose" % step)

    if step == "createSecret":
        create_secret(service_client, arn, token)
    elif step == "setSecret":
        set_secret(service_client, arn, token)
    elif step == "testSecret":
        test_secret(service_client, arn, token)
    elif step == "finishSecret":
        finish_secret(service_client, arn, token)
    else:
        raise ValueError("Invalid step parameter")


def create_secret(service_client, arn, token):
    service_client.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
    try:
        service_client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
    except service_client.exceptions.ResourceNotFoundException:
        exclude_characters = os.environ['EXCLUDE_CHARACTERS'] if 'EXCLUDE_CHARACTERS' in os.environ else '/@"\'\\'
        passwd = service_client.get_random_password(ExcludeCharacters=exclude_characters)
        service_client.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=passwd['RandomPassword'], VersionStages=['AWSPENDING'])


def set_secret(service_client, arn, token):
    # The template leaves this to the service; here the service is a file holding its password.
    pending = service_client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")['SecretString']
    with open(os.environ['SERVICE_FILE'], 'w') as f:
        f.write(pending)


def test_secret(service_client, arn, token):
    pending = service_client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")['SecretString']
    with open(os.environ['SERVICE_FILE']) as f:
        if f.read() != pending:
            raise ValueError("The service does not accept the pending secret of %s" % arn)


def finish_secret(service_client, arn, token):
    metadata = service_client.describe_secret(SecretId=arn)
    current_version = None
    for version in metadata["VersionIdsToStages"]:
        if "AWSCURRENT" in metadata["VersionIdsToStages"][version]:
            if version == token:
                return
            current_version = version
            break
    service_client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, RemoveFromVersionId=current_version)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        event = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
        if os.environ.get('EVENTS_FILE'):
            with open(os.environ['EVENTS_FILE'], 'a') as f:
                f.write(json.dumps(event) + "\n")
        try:
            lambda_handler(event, None)
            status, body = 200, {}
        except Exception as e:  # Lambda's error answer: type and message.
            status, body = 500, {"errorType": type(e).__name__, "errorMessage": str(e)}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
print("listening on %d" % server.server_address[1], flush=True)
sys.stdout.flush()
server.serve_forever()
