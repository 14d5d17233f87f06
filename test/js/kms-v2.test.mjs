// A Lambda function's cold start with the AWS SDK for JavaScript v2, exactly as AWS's console
// snippet for encrypted environment variables does it, but for the endpoint:
// decrypt the environment variable once, cache the plaintext, reuse it on every invocation.
import AWS from 'aws-sdk';
import assert from 'node:assert/strict';

const endpoint = process.env.AWS_ENDPOINT_URL;
const kms = new AWS.KMS({ endpoint, region: process.env.AWS_REGION });

// The operator's side: encrypt the value that goes into the function's environment.
const { KeyMetadata } = await kms.createKey({ Description: 'function env' }).promise();
const { CiphertextBlob } = await kms.encrypt({ KeyId: KeyMetadata.KeyId, Plaintext: 'Top Secret' }).promise();
process.env.ENCRYPTED = Buffer.from(CiphertextBlob).toString('base64');

// The function's side.
const functionName = 'my-function';
const encrypted = process.env['ENCRYPTED'];
let decrypted;
let decryptCalls = 0;

async function processEvent(event) {
  return `${event.name}: ${decrypted}`;
}

export const handler = async (event) => {
  if (!decrypted) {
    // Decrypt code should run once and variables stored outside of the function handler so that
    // these are decrypted once per container.
    const req = {
      CiphertextBlob: Buffer.from(encrypted, 'base64'),
      EncryptionContext: { LambdaFunctionName: functionName },
    };
    try {
      const data = await kms.decrypt(req).promise();
      decryptCalls++;
      decrypted = data.Plaintext.toString('ascii');
    } catch (err) {
      console.log('Decrypt error:', err.code);
      throw err;
    }
  }
  return processEvent(event);
};

// AWS's console encrypts with the function name as context; this value was encrypted without it,
// so the documented snippet must fail with InvalidCiphertextException, not return garbage.
await assert.rejects(handler({ name: 'first' }), (e) => e.code === 'InvalidCiphertextException');

// Encrypted as the console does it, with the context, the snippet works and caches.
const withContext = await kms.encrypt({
  KeyId: KeyMetadata.Arn, Plaintext: 'Top Secret', EncryptionContext: { LambdaFunctionName: functionName },
}).promise();
process.env.ENCRYPTED = Buffer.from(withContext.CiphertextBlob).toString('base64');
const module2 = await import('./lib/lambda-env.mjs');
const handler2 = module2.makeHandler(kms, functionName, process.env.ENCRYPTED);
assert.equal(await handler2({ name: 'first' }), 'first: Top Secret');
assert.equal(await handler2({ name: 'second' }), 'second: Top Secret');
assert.equal(module2.decryptCalls(), 1, 'the plaintext is decrypted once per container and cached');

// Errors come back with AWS's codes.
await assert.rejects(kms.describeKey({ KeyId: 'alias/nope' }).promise(), (e) => e.code === 'NotFoundException');
await assert.rejects(kms.encrypt({ KeyId: KeyMetadata.KeyId, Plaintext: Buffer.alloc(4097) }).promise(),
  (e) => e.code === 'ValidationException' || e.code === 'InvalidParameterType' || e.code === 'MultipleValidationErrors');
console.log('kms-v2.test.mjs: all checks passed');
