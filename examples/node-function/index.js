// A function in the style of AWS's documentation, with the AWS SDK for JavaScript v2. The only
// change for Coffer is the endpoint (AWS_ENDPOINT_URL); against AWS, leave it unset.
const AWS = require('aws-sdk');

const endpoint = process.env.AWS_ENDPOINT_URL ? { endpoint: process.env.AWS_ENDPOINT_URL } : {};
const kms = new AWS.KMS(endpoint);
const ssm = new AWS.SSM(endpoint);
const secretsManager = new AWS.SecretsManager(endpoint);

// 1. A KMS-encrypted environment variable (made by `coffer env encrypt` or Lambda's console
//    helper), decrypted once, at cold start, and kept for later invocations.
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
const encrypted = process.env.API_KEY;
let decrypted;

async function apiKey() {
  if (!decrypted) {
    const req = {
      CiphertextBlob: Buffer.from(encrypted, 'base64'),
      EncryptionContext: { LambdaFunctionName: functionName },
    };
    const data = await kms.decrypt(req).promise();
    decrypted = data.Plaintext.toString('utf8');
  }
  return decrypted;
}

exports.handler = async (event) => {
  const key = await apiKey();

  // 2. A SecureString parameter.
  const { Parameter } = await ssm.getParameter({ Name: process.env.DB_PASSWORD_PARAMETER, WithDecryption: true }).promise();

  // 3. A secret.
  const secret = await secretsManager.getSecretValue({ SecretId: process.env.SECRET_ID }).promise();

  // A real function would use them; this one answers what it read, for the example's test.
  return { apiKey: key, dbPassword: Parameter.Value, secret: secret.SecretString, event };
};
