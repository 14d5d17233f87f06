// A function reading its settings from Parameter Store with the AWS SDK for JavaScript v2, as
// AWS's examples do it, unchanged but for the endpoint: getParameter with decryption, then a
// whole stage with getParametersByPath, following NextToken.
import AWS from 'aws-sdk';
import assert from 'node:assert/strict';

const ssm = new AWS.SSM({ endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION });

// The operator's side.
await ssm.putParameter({ Name: '/my/secret', Value: 'Top Secret', Type: 'SecureString' }).promise();
for (let i = 0; i < 25; i++) {
  await ssm.putParameter({
    Name: `/my/app/prod/setting${String(i).padStart(2, '0')}`,
    Value: `value-${i}`,
    Type: i % 2 ? 'String' : 'SecureString',
  }).promise();
}

// The function's side: the documented call.
const { Parameter } = await ssm.getParameter({ Name: '/my/secret', WithDecryption: true }).promise();
assert.equal(Parameter.Value, 'Top Secret');
assert.equal(Parameter.Type, 'SecureString');
assert.equal(Parameter.Version, 1);
assert.ok(Parameter.LastModifiedDate instanceof Date);

const encrypted = await ssm.getParameter({ Name: '/my/secret' }).promise();
assert.notEqual(encrypted.Parameter.Value, 'Top Secret');

// A stage read as a whole, ten at a time.
const settings = {};
let NextToken;
let pages = 0;
do {
  const page = await ssm.getParametersByPath({ Path: '/my/app/prod', Recursive: true, WithDecryption: true, NextToken }).promise();
  assert.ok(page.Parameters.length <= 10);
  for (const p of page.Parameters) settings[p.Name] = p.Value;
  NextToken = page.NextToken;
  pages++;
} while (NextToken);
assert.equal(pages, 3);
assert.equal(Object.keys(settings).length, 25);
assert.equal(settings['/my/app/prod/setting00'], 'value-0');
assert.equal(settings['/my/app/prod/setting13'], 'value-13');

// The SDK's own paginator agrees.
const all = [];
await new Promise((resolve, reject) => {
  ssm.getParametersByPath({ Path: '/my/app', Recursive: true, MaxResults: 4 }).eachPage((err, data) => {
    if (err) { reject(err); return false; }
    if (!data) { resolve(); return false; }
    all.push(...data.Parameters.map((p) => p.Name));
    return true;
  });
});
assert.equal(all.length, 25);
assert.deepEqual(all, [...all].sort());

// Errors come back with AWS's codes.
await assert.rejects(ssm.getParameter({ Name: '/my/missing' }).promise(), (e) => e.code === 'ParameterNotFound');
await assert.rejects(ssm.putParameter({ Name: '/my/secret', Value: 'x', Type: 'SecureString' }).promise(), (e) => e.code === 'ParameterAlreadyExists');
await assert.rejects(ssm.getParametersByPath({ Path: '/my', NextToken: 'garbage' }).promise(), (e) => e.code === 'InvalidNextToken');
console.log('ssm-v2.test.mjs: all checks passed');
