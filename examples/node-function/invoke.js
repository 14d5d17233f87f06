// Invokes the handler twice as Lambda would (one cold start, then a warm call) and prints what it
// read as SHA-256 fingerprints (never the values), for the example's test to compare.
const crypto = require('node:crypto');
const { handler } = require('./index.js');

const fingerprint = (value) => crypto.createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16);

(async () => {
  await handler({ n: 1 });
  const answer = await handler({ n: 2 });
  process.stdout.write(JSON.stringify({
    apiKey: fingerprint(answer.apiKey),
    dbPassword: fingerprint(answer.dbPassword),
    secret: fingerprint(answer.secret),
  }) + '\n');
})().catch((e) => {
  process.stderr.write(`${e.code || e.name}: ${e.message}\n`);
  process.exit(1);
});
