// A function reading its secret with the AWS SDK for JavaScript v2, exactly as AWS's Secrets Manager
// console snippet does it, but for the endpoint: getSecretValue({SecretId: 'Username'}), once per
// container, with the value cached outside the handler.
import AWS from 'aws-sdk';
import assert from 'node:assert/strict';

const endpoint = process.env.AWS_ENDPOINT_URL;
const region = process.env.AWS_REGION;

// The operator's side, as `aws secretsmanager create-secret --name Username --secret-string MyUsername`.
const admin = new AWS.SecretsManager({ endpoint, region });
await admin.createSecret({ Name: 'Username', SecretString: 'MyUsername' }).promise();

// The function's side: AWS's snippet, unchanged but for the endpoint.
const client = new AWS.SecretsManager({ endpoint, region });
let secret;
let reads = 0;
export const handler = async (event) => {
  if (!secret) {
    const data = await client.getSecretValue({ SecretId: 'Username' }).promise();
    reads++;
    secret = 'SecretString' in data ? data.SecretString : Buffer.from(data.SecretBinary, 'base64').toString('ascii');
  }
  return `${event.name}: ${secret}`;
};

assert.equal(await handler({ name: 'first' }), 'first: MyUsername');
assert.equal(await handler({ name: 'second' }), 'second: MyUsername');
assert.equal(reads, 1, 'the value is read once per container and cached');

// A binary secret comes back as bytes.
await admin.createSecret({ Name: 'cert', SecretBinary: Buffer.from([0, 1, 2, 255]) }).promise();
const binary = await client.getSecretValue({ SecretId: 'cert' }).promise();
assert.deepEqual([...Buffer.from(binary.SecretBinary)], [0, 1, 2, 255]);
assert.equal(binary.SecretString, undefined);

// A new value moves AWSCURRENT, and the old one stays readable as AWSPREVIOUS.
const put = await admin.putSecretValue({ SecretId: 'Username', SecretString: 'NewUsername' }).promise();
assert.deepEqual(put.VersionStages, ['AWSCURRENT']);
assert.equal((await client.getSecretValue({ SecretId: 'Username' }).promise()).SecretString, 'NewUsername');
assert.equal((await client.getSecretValue({ SecretId: 'Username', VersionStage: 'AWSPREVIOUS' }).promise()).SecretString, 'MyUsername');
const described = await admin.describeSecret({ SecretId: 'Username' }).promise();
assert.ok(described.CreatedDate instanceof Date && described.LastChangedDate instanceof Date);
assert.deepEqual(Object.values(described.VersionIdsToStages).flat().sort(), ['AWSCURRENT', 'AWSPREVIOUS']);

// Errors come back with AWS's codes, as the snippet's catch block expects them.
await assert.rejects(client.getSecretValue({ SecretId: 'NoSuchSecret' }).promise(), (e) => e.code === 'ResourceNotFoundException');
await admin.deleteSecret({ SecretId: 'cert', RecoveryWindowInDays: 7 }).promise();
await assert.rejects(client.getSecretValue({ SecretId: 'cert' }).promise(), (e) => e.code === 'InvalidRequestException');
await admin.restoreSecret({ SecretId: 'cert' }).promise();
assert.equal((await client.getSecretValue({ SecretId: 'cert' }).promise()).SecretBinary.length, 4);
console.log('secretsmanager-v2.test.mjs: all checks passed');
