// A Lambda function that reads its settings through the agent, written as AWS's documentation
// writes it for the Parameters and Secrets Lambda Extension: plain HTTP to localhost, the session
// token in X-Aws-Parameters-Secrets-Token, and no AWS SDK in the function at all. The same code
// runs on AWS with the extension and beside `coffer agent`.
const port = process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT || '2773';
const base = `http://localhost:${port}`;
const headers = { 'X-Aws-Parameters-Secrets-Token': process.env.AWS_SESSION_TOKEN };

async function get(path) {
  const response = await fetch(base + path, { headers });
  if (!response.ok) {
    throw new Error(`agent answered ${response.status}: ${await response.text()}`);
  }
  return response.json();
}

export const handler = async () => {
  // A SecureString parameter, decrypted.
  const parameter = await get(
    `/systemsmanager/parameters/get?name=${encodeURIComponent(process.env.PARAMETER_NAME)}&withDecryption=true`);
  // A Secrets Manager secret: GetSecretValue's answer.
  const secret = await get(`/secretsmanager/get?secretId=${encodeURIComponent(process.env.SECRET_ID)}`);
  const credentials = JSON.parse(secret.SecretString);
  // A KMS-encrypted environment variable (`coffer env encrypt`), decrypted by the agent at its cold
  // start when COFFER_AGENT_ENCRYPTED_VARIABLES names it: KMS Decrypt's answer, Plaintext in base64.
  const encrypted = process.env.ENCRYPTED_VARIABLE
    ? await get(`/environment/get?name=${encodeURIComponent(process.env.ENCRYPTED_VARIABLE)}`)
    : null;
  const apiKey = encrypted ? Buffer.from(encrypted.Plaintext, 'base64').toString('utf8') : null;

  // Use the values; never log or return them. The answer says only what was read.
  return {
    statusCode: 200,
    body: JSON.stringify({
      parameter: parameter.Parameter.Name,
      parameterVersion: parameter.Parameter.Version,
      secret: secret.Name,
      user: credentials.username,
      passwordLength: credentials.password.length,
      apiKeyLength: apiKey ? apiKey.length : null,
    }),
  };
};
