// Small helpers for the identity tests and the peers they start: plain HTTP on fresh connections,
// JWT decoding without trust, and calls to the gateway's /v1/whoami.
import http from 'node:http';

// One HTTP request on a new connection (no keep-alive pool: peers are stopped and restarted on the
// same port, and a pooled connection to the old server would fail). Resolves to
// { status, headers, body, json() }; rejects on a connection error or after `timeoutMs`.
export function request(url, { method = 'GET', headers = {}, body, timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode, headers: res.headers, body: text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

// One JSON call to the gateway: `token` as the bearer, `body` sent as JSON. Resolves to request()'s
// answer plus `json` (null when the body is not JSON).
export async function call(gw, method, urlPath, { token, body, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const res = await request(`${gw.url}${urlPath}`, {
    method, headers: h, body: body === undefined ? undefined : JSON.stringify(body),
  });
  let json = null;
  try { json = JSON.parse(res.body); } catch { /* asserted by callers */ }
  return { ...res, json };
}

// Decodes a compact JWT's header and payload without verifying anything.
export function decodeJwt(token) {
  const [header, payload] = token.split('.').slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  return { header, payload };
}

// GET /v1/whoami on the gateway, with `token` as the bearer token when given.
export async function whoami(gw, token) {
  const headers = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const res = await request(`${gw.url}/v1/whoami`, { headers });
  let json = null;
  try { json = JSON.parse(res.body); } catch { /* asserted by the caller */ }
  return { ...res, json };
}

// Polls `check` (an async predicate) every `intervalMs` until it holds or `timeoutMs` has passed.
// An error thrown by `check` means "not yet", unless it has `fatal: true`.
export async function waitFor(check, { timeoutMs = 60_000, intervalMs = 250, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch (e) {
      if (e?.fatal) throw e;
    }
    if (Date.now() >= deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// The top-level `issuers:` YAML for startGateway({ rest }) from a list of plain objects
// (values are written as JSON, which YAML reads as flow scalars, lists and maps).
export function issuersYaml(issuers) {
  const lines = ['issuers:'];
  for (const issuer of issuers) {
    Object.entries(issuer).forEach(([key, value], i) => {
      lines.push(`${i === 0 ? '  - ' : '    '}${key}: ${JSON.stringify(value)}`);
    });
  }
  return `${lines.join('\n')}\n`;
}
