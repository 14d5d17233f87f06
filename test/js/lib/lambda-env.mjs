// The shape of AWS's "encrypted environment variable" Lambda snippet (SDK v2): decrypt once per
// container, keep the plaintext outside the handler.
let decrypted;
let calls = 0;

export function decryptCalls() {
  return calls;
}

export function makeHandler(kms, functionName, encrypted) {
  return async (event) => {
    if (!decrypted) {
      const data = await kms.decrypt({
        CiphertextBlob: Buffer.from(encrypted, 'base64'),
        EncryptionContext: { LambdaFunctionName: functionName },
      }).promise();
      calls++;
      decrypted = data.Plaintext.toString('ascii');
    }
    return `${event.name}: ${decrypted}`;
  };
}
