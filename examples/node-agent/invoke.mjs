// Invokes the handler once as Lambda would, for a local try and for Coffer's tests:
//   node examples/node-agent/invoke.mjs
import { handler } from './index.mjs';

const result = await handler({}, {});
console.log(JSON.stringify(result));
