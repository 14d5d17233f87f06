// Coffer's public AWS endpoints, called as an SDK calls them: JSON 1.1 for KMS, SSM, Secrets Manager
// and CloudTrail; the query protocol for IAM and STS. The session lives in this module's memory
// only: never in storage or a cookie, so a reload or a closed tab ends it.
import { sign } from './sigv4.js';

let session = null;
const listeners = new Set();

export const getSession = () => session;
export const onSessionChange = (fn) => listeners.add(fn);
export function setSession(s) {
  session = s;
  for (const fn of listeners) fn(s);
}

export class ApiError extends Error {
  constructor(code, message, status) {
    super(message || code);
    this.code = code;
    this.status = status;
  }

  get denied() {
    return /AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(this.code);
  }
}

const TARGETS = {
  kms: 'TrentService',
  ssm: 'AmazonSSM',
  secretsmanager: 'secretsmanager',
  cloudtrail: 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101',
  coffer: 'Coffer',
};

const endpoint = () => location.origin + '/';

async function signed(service, headers, body, url = endpoint(), method = 'POST') {
  if (!session) throw new ApiError('NotSignedIn', 'Sign in first.', 401);
  if (Date.parse(session.expiration) <= Date.now()) {
    setSession(null);
    throw new ApiError('ExpiredToken', 'The session has expired; sign in again.', 401);
  }

  return sign({ method, url, headers, body, service, region: session.region, credentials: session });
}

/** A JSON 1.1 call: json('ssm', 'GetParameter', {...}). */
export async function json(service, operation, input = {}) {
  const body = JSON.stringify(input);
  const headers = await signed(service, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `${TARGETS[service]}.${operation}`,
  }, body);
  const response = await fetch(endpoint(), { method: 'POST', headers, body, credentials: 'omit', cache: 'no-store' });
  const text = await response.text();
  const data = text ? JSON.parse(text) : {};
  if (!response.ok) {
    const code = String(data.__type || response.status).split('#').pop();
    throw new ApiError(code, data.message || data.Message || code, response.status);
  }

  return data;
}

/** A query-protocol call (IAM, STS): the parsed XML document. */
export async function query(service, action, params = {}) {
  const version = service === 'iam' ? '2010-05-08' : '2011-06-15';
  const form = new URLSearchParams({ Action: action, Version: version });
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) form.append(k, String(v));
  const body = form.toString();
  const headers = await signed(service, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body);
  const response = await fetch(endpoint(), { method: 'POST', headers, body, credentials: 'omit', cache: 'no-store' });
  const doc = new DOMParser().parseFromString(await response.text(), 'application/xml');
  if (!response.ok) {
    throw new ApiError(text(doc, 'Code') || String(response.status), text(doc, 'Message'), response.status);
  }

  return doc;
}

/** The text of the first element named tag under node. */
export const text = (node, tag) => node.getElementsByTagName(tag)[0]?.textContent ?? '';

/** The <member> children of the first element named tag. */
export const members = (node, tag) => {
  const list = node.getElementsByTagName(tag)[0];
  return list ? [...list.children].filter((c) => c.tagName === 'member') : [];
};

/** Pages through a JSON list call: yields each page's items; stops after maxPages. */
export async function* pages(service, operation, input, itemsKey, maxPages = 20) {
  let token;
  for (let i = 0; i < maxPages; i++) {
    const out = await json(service, operation, token ? { ...input, NextToken: token } : input);
    yield out[itemsKey] || [];
    token = out.NextToken;
    if (!token) return;
  }
}

/** A signed GET of Coffer's event stream, read as server-sent events; calls onEvent with each. */
export async function streamEvents(onEvent, signal) {
  const url = location.origin + '/_coffer/events/stream';
  const headers = await signed('events', {}, '', url, 'GET');
  const response = await fetch(url, { headers, signal, credentials: 'omit', cache: 'no-store' });
  if (!response.ok) {
    const data = await response.json().catch(() => ({}));
    throw new ApiError(data.__type || String(response.status), data.message, response.status);
  }

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      if (data) onEvent(JSON.parse(data));
    }
  }
}

/** Password sign-in: the console's own endpoint; same-origin JSON, so no other page can use it. */
export async function signInWithPassword(userName, password, newPassword, region) {
  const response = await fetch('/_coffer/console/signin', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userName, password, newPassword: newPassword || undefined }),
    credentials: 'omit',
    cache: 'no-store',
  });
  const data = await response.json();
  if (!response.ok) throw new ApiError(data.__type, data.message, response.status);
  setSession({ ...data, region });
}

/**
 * Access-key sign-in: the secret key never leaves the browser. It signs one STS GetSessionToken
 * call here, and only the short-lived session it returns is kept.
 */
export async function signInWithAccessKey(accessKeyId, secretAccessKey, region) {
  const body = new URLSearchParams({ Action: 'GetSessionToken', Version: '2011-06-15', DurationSeconds: '3600' }).toString();
  const headers = await sign({ method: 'POST', url: endpoint(), headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body, service: 'sts', region, credentials: { accessKeyId, secretAccessKey } });
  const response = await fetch(endpoint(), { method: 'POST', headers, body, credentials: 'omit', cache: 'no-store' });
  const doc = new DOMParser().parseFromString(await response.text(), 'application/xml');
  if (!response.ok) throw new ApiError(text(doc, 'Code'), text(doc, 'Message'), response.status);
  const temp = { accessKeyId: text(doc, 'AccessKeyId'), secretAccessKey: text(doc, 'SecretAccessKey'), sessionToken: text(doc, 'SessionToken'), expiration: text(doc, 'Expiration'), region };
  session = { ...temp };
  const who = await query('sts', 'GetCallerIdentity');
  const arn = text(who, 'Arn');
  setSession({ ...temp, arn, accountId: text(who, 'Account'), userName: arn.endsWith(':root') ? 'root' : arn.split('/').pop() });
}

/** Ends the session on the server (its key is deleted), then forgets it here. */
export async function signOut() {
  if (!session) return;
  try {
    const body = '{}';
    const url = location.origin + '/_coffer/console/signout';
    const headers = await sign({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body, service: 'sts', region: session.region, credentials: session });
    await fetch(url, { method: 'POST', headers, body, credentials: 'omit', cache: 'no-store' });
  } finally {
    setSession(null);
  }
}
