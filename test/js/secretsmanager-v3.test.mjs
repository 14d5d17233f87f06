// Secrets Manager with the AWS SDK for JavaScript v3, unchanged but for the endpoint.
import {
  SecretsManagerClient, CreateSecretCommand, GetSecretValueCommand, BatchGetSecretValueCommand,
  UpdateSecretCommand, ListSecretVersionIdsCommand, ListSecretsCommand, RotateSecretCommand,
  CancelRotateSecretCommand, TagResourceCommand, GetRandomPasswordCommand, paginateListSecrets,
  ResourceNotFoundException, ResourceExistsException, InvalidRequestException, InvalidParameterException,
} from '@aws-sdk/client-secrets-manager';
import assert from 'node:assert/strict';

const client = new SecretsManagerClient({ endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION });

const created = await client.send(new CreateSecretCommand({
  Name: 'prod/db', SecretString: JSON.stringify({ username: 'app', password: 'p1' }), Tags: [{ Key: 'stage', Value: 'prod' }],
}));
assert.match(created.ARN, /:secret:prod\/db-[A-Za-z0-9]{6}$/);
const value = await client.send(new GetSecretValueCommand({ SecretId: created.ARN }));
assert.deepEqual(JSON.parse(value.SecretString), { username: 'app', password: 'p1' });
assert.ok(value.CreatedDate instanceof Date);

// ClientRequestToken: a retry of the same request is a no-op; another value with the token is refused.
const token = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
await client.send(new CreateSecretCommand({ Name: 'token-test', SecretString: 'v1', ClientRequestToken: token }));
const retried = await client.send(new CreateSecretCommand({ Name: 'token-test', SecretString: 'v1', ClientRequestToken: token }));
assert.equal(retried.VersionId, token);
await assert.rejects(client.send(new CreateSecretCommand({ Name: 'token-test', SecretString: 'v2', ClientRequestToken: token })), ResourceExistsException);
await assert.rejects(client.send(new UpdateSecretCommand({ SecretId: 'token-test', SecretString: 'v2', ClientRequestToken: token })), ResourceExistsException);

// BatchGetSecretValue by ids, with an error per missing secret.
const batch = await client.send(new BatchGetSecretValueCommand({ SecretIdList: ['prod/db', 'token-test', 'missing'] }));
assert.deepEqual(batch.SecretValues.map((v) => v.Name).sort(), ['prod/db', 'token-test']);
assert.deepEqual(batch.Errors.map((e) => [e.SecretId, e.ErrorCode]), [['missing', 'ResourceNotFoundException']]);
await assert.rejects(client.send(new BatchGetSecretValueCommand({ SecretIdList: ['prod/db'], MaxResults: 5 })), InvalidParameterException);
const page1 = await client.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['prod/', 'token-'] }], MaxResults: 1 }));
const page2 = await client.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['prod/', 'token-'] }], MaxResults: 1, NextToken: page1.NextToken }));
assert.deepEqual([...page1.SecretValues, ...page2.SecretValues].map((v) => v.Name), ['prod/db', 'token-test']);
assert.equal(page2.NextToken, undefined);

// Listing: tag filter, and the paginator over NextToken.
await client.send(new TagResourceCommand({ SecretId: 'token-test', Tags: [{ Key: 'stage', Value: 'dev' }] }));
const prod = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'tag-value', Values: ['prod'] }] }));
assert.deepEqual(prod.SecretList.map((s) => s.Name), ['prod/db']);
const names = [];
for await (const page of paginateListSecrets({ client, pageSize: 1 }, {})) {
  names.push(...page.SecretList.map((s) => s.Name));
}
assert.deepEqual(names.sort(), ['prod/db', 'token-test']);
const versions = await client.send(new ListSecretVersionIdsCommand({ SecretId: 'token-test' }));
assert.deepEqual(versions.Versions.map((v) => v.VersionId), [token]);

// Rotation errors: no function configured, nothing to cancel.
await assert.rejects(client.send(new RotateSecretCommand({ SecretId: 'prod/db' })), InvalidRequestException);
await assert.rejects(client.send(new CancelRotateSecretCommand({ SecretId: 'prod/db' })), InvalidRequestException);
await assert.rejects(client.send(new GetSecretValueCommand({ SecretId: 'nope' })), ResourceNotFoundException);
const { RandomPassword } = await client.send(new GetRandomPasswordCommand({ PasswordLength: 12, ExcludePunctuation: true }));
assert.match(RandomPassword, /^[A-Za-z0-9]{12}$/);
console.log('secretsmanager-v3.test.mjs: all checks passed');
