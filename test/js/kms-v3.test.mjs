// KMS with the AWS SDK for JavaScript v3, unchanged but for the endpoint.
import { KMSClient, CreateKeyCommand, EncryptCommand, DecryptCommand, GenerateDataKeyCommand, NotFoundException } from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';

const kms = new KMSClient({ endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION });
const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'v3' }));
const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: new TextEncoder().encode('Top Secret') }));
const { Plaintext, KeyId } = await kms.send(new DecryptCommand({ CiphertextBlob }));
assert.equal(new TextDecoder().decode(Plaintext), 'Top Secret');
assert.equal(KeyId, KeyMetadata.Arn);

const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: KeyMetadata.Arn, KeySpec: 'AES_256' }));
assert.equal(dataKey.Plaintext.length, 32);
const opened = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }));
assert.deepEqual(Buffer.from(opened.Plaintext), Buffer.from(dataKey.Plaintext));

await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob, KeyId: 'alias/none' })), (e) => e instanceof NotFoundException);
console.log('kms-v3.test.mjs: all checks passed');
