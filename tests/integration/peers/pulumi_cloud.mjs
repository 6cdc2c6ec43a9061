// A stand-in for Pulumi Cloud's OIDC token exchange, for the runs tests: the contract of
// `POST /api/oauth/token` as ../../../../shared/reference/pulumi.md describes it, checked strictly,
// against the JWKS of the issuer registered with it (stackgate's, or a test's own).
//
// A request must be `application/x-www-form-urlencoded`, hold each field at most once and no
// other field:
//   grant_type            urn:ietf:params:oauth:grant-type:token-exchange
//   audience              urn:pulumi:org:<org>   (the org this stand-in serves)
//   subject_token_type    urn:ietf:params:oauth:token-type:id_token
//   subject_token         a JWT: signature by a key of `jwksUrl`, `iss` = issuer, `aud` =
//                         urn:pulumi:org:<org>, `typ: JWT`, not expired, with sub, iat, exp
//   requested_token_type  urn:pulumi:token-type:access_token:organization|team|personal
//   scope                 organization: absent, empty or "admin"; team: "team:<NAME>";
//                         personal: "user:<LOGIN>"
//   expiration            optional, seconds, 1 to 31536000 (default 7200)
// The answer is {access_token: "pul-<40 hex>", issued_token_type, token_type: "token", expires_in,
// scope}, or an OAuth error {error, error_description}: 400 invalid_request (a field missing,
// repeated, unknown or malformed; a subject token that does not verify), 400
// unsupported_grant_type, 400 invalid_scope, 403 access_denied (refused by `policy`), 405 for
// another method, 415 for another content type; anything else is 404 {code, message} as Pulumi's
// REST API answers. `policy(claims, request)` may refuse an exchange that verified: return a
// string (the error_description) to refuse, anything else to allow.
//
// Every exchange that reached the token checks is recorded in `exchanges`, in order: {ok, status,
// error, claims, header, requestedTokenType, tokenType, scope, expiration, accessToken}. Listens on a
// free loopback port; close() stops it. Each test starts and closes its own.
import crypto from 'node:crypto';
import http from 'node:http';

import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
const TYPE_PREFIX = 'urn:pulumi:token-type:access_token:';
const FIELDS = new Set(['grant_type', 'audience', 'subject_token_type', 'subject_token',
  'requested_token_type', 'scope', 'expiration']);
const MAX_BODY = 64 * 1024;
const MAX_EXPIRATION = 31_536_000;

class OAuthError extends Error {
  constructor(status, error, description) {
    super(description);
    this.status = status;
    this.error = error;
  }
}

const invalid = (description) => new OAuthError(400, 'invalid_request', description);

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new OAuthError(413, 'invalid_request', 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// The form's fields as a Map, refusing repeated and unknown ones.
function readForm(text) {
  const form = new Map();
  for (const [name, value] of new URLSearchParams(text)) {
    if (!FIELDS.has(name)) throw invalid(`unknown parameter ${name}`);
    if (form.has(name)) throw invalid(`parameter ${name} is repeated`);
    form.set(name, value);
  }
  return form;
}

function required(form, name) {
  const value = form.get(name);
  if (value === undefined || value === '') throw invalid(`parameter ${name} is missing`);
  return value;
}

// The requested token type's short name and the scope it needs.
function checkTypeAndScope(form) {
  const requested = required(form, 'requested_token_type');
  if (!requested.startsWith(TYPE_PREFIX)) throw invalid(`unsupported requested_token_type ${requested}`);
  const tokenType = requested.slice(TYPE_PREFIX.length);
  const scope = form.get('scope');
  switch (tokenType) {
    case 'organization':
      if (scope !== undefined && scope !== '' && scope !== 'admin') {
        throw new OAuthError(400, 'invalid_scope', 'an organization token takes no scope but admin');
      }
      break;
    case 'team':
      if (!/^team:[^\s:]+$/.test(scope ?? '')) throw new OAuthError(400, 'invalid_scope', 'a team token needs scope team:<name>');
      break;
    case 'personal':
      if (!/^user:[^\s:]+$/.test(scope ?? '')) throw new OAuthError(400, 'invalid_scope', 'a personal token needs scope user:<login>');
      break;
    default:
      throw invalid(`unsupported requested_token_type ${requested}`);
  }
  return { requested, tokenType, scope: scope ?? '' };
}

function readExpiration(form) {
  const text = form.get('expiration');
  if (text === undefined) return 7200;
  if (!/^[0-9]{1,9}$/.test(text)) throw invalid('expiration must be a number of seconds');
  const seconds = Number(text);
  if (seconds < 1 || seconds > MAX_EXPIRATION) throw invalid(`expiration must be 1 to ${MAX_EXPIRATION} seconds`);
  return seconds;
}

// Starts the stand-in. `jwksUrl`: the registered issuer's JWKS; `issuer`: its exact `iss`;
// `org`: the organization served.
export async function startPulumiCloud({ jwksUrl, issuer, org, policy = () => true, clockTolerance = 30 }) {
  const jwks = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 0 });
  const audience = `urn:pulumi:org:${org}`;
  const exchanges = [];

  async function exchange(req) {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      throw new OAuthError(415, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
    }
    const form = readForm(await readBody(req));
    const grant = required(form, 'grant_type');
    if (grant !== GRANT) throw new OAuthError(400, 'unsupported_grant_type', `unsupported grant_type ${grant}`);
    if (required(form, 'audience') !== audience) throw invalid(`audience must be ${audience}`);
    if (required(form, 'subject_token_type') !== ID_TOKEN) throw invalid(`subject_token_type must be ${ID_TOKEN}`);
    const token = required(form, 'subject_token');
    const { requested, tokenType, scope } = checkTypeAndScope(form);
    const expiration = readExpiration(form);

    const record = { ok: false, status: 0, error: null, claims: null, header: null,
      requestedTokenType: requested, tokenType, scope, expiration, accessToken: null };
    exchanges.push(record);
    try {
      const { payload, protectedHeader } = await jwtVerify(token, jwks, {
        issuer, audience, typ: 'JWT', clockTolerance, requiredClaims: ['sub', 'iat', 'exp'],
      });
      record.claims = payload;
      record.header = protectedHeader;
    } catch (e) {
      try { record.header = decodeProtectedHeader(token); } catch { /* not even a JWT */ }
      throw invalid(`the subject token does not verify: ${e.code ?? e.message}`);
    }
    const verdict = await policy(record.claims, { tokenType, scope, expiration });
    if (typeof verdict === 'string') throw new OAuthError(403, 'access_denied', verdict);
    record.ok = true;
    record.status = 200;
    record.accessToken = `pul-${crypto.randomBytes(20).toString('hex')}`;
    return { access_token: record.accessToken, issued_token_type: requested, token_type: 'token',
      expires_in: expiration, scope };
  }

  const server = http.createServer(async (req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const path = new URL(req.url, 'http://x').pathname;
    if (path !== '/api/oauth/token') return send(404, { code: 404, message: 'Not Found' });
    if (req.method !== 'POST') return send(405, { error: 'invalid_request', error_description: 'use POST' });
    try {
      send(200, await exchange(req));
    } catch (e) {
      if (!(e instanceof OAuthError)) return send(500, { code: 500, message: 'internal error' });
      const last = exchanges.at(-1);
      if (last && !last.ok && last.status === 0) {
        last.status = e.status;
        last.error = e.error;
      }
      send(e.status, { error: e.error, error_description: e.message });
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });

  return {
    url: `http://127.0.0.1:${server.address().port}`,
    exchanges,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
