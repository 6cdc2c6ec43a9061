// Tokens, black-box: the real gateway as an OIDC issuer. People (a static-JWKS SSO), machines (a
// real OpenID provider, oidc-provider), Backstage users and development tokens exchange what they
// hold for short stackgate tokens (RFC 8693); agents act for people with `act`; tokens are revoked
// (RFC 7009) and introspected (RFC 7662); an independent verifier (npm `jose`) discovers the
// gateway and checks its tokens, before and after `stackgate keys rotate`.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { createRemoteJWKSet, jwtVerify } from 'jose';

import { decodeJwt, issuersYaml, request, waitFor } from './helpers/auth.mjs';
import { freePort, runCli, startGateway, tempDir } from './helpers/gateway.mjs';
import { es256Key, signEs256 } from './helpers/jws.mjs';
import { backstageInstalled, startBackstage } from './peers/backstage.mjs';
import { startOidcProvider } from './peers/oidc.mjs';

const SSO = 'https://sso.example.test';
const AGENTS = 'https://agents.example.test';
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS = 'urn:ietf:params:oauth:token-type:access_token';
const JWT = 'urn:ietf:params:oauth:token-type:jwt';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
const now = () => Math.floor(Date.now() / 1000);

const POLICY = `roles:
  - name: developer
    rules:
      - allow: [read, preview, update]
        stacks: ["acme/*"]
  - name: agent
    rules:
      - allow: [read, preview]
        stacks: ["acme/pay/*"]
  - name: admin
    rules:
      - allow: [admin, audit, read]
        stacks: ["*"]
bindings:
  - { roles: [developer], when: { issuer: [corp-sso, backstage, dev], kind: user } }
  - { roles: [agent], when: { issuer: [corp-ci, agents] } }
  - { roles: [admin], when: { issuer: corp-sso, subject: "user:default/admin" } }
`;

async function call(gw, method, urlPath, { token, body, form, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload;
  if (form !== undefined) {
    h['content-type'] ??= 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(form).toString();
  } else if (body !== undefined) {
    h['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await request(`${gw.url}${urlPath}`, { method, headers: h, body: payload });
  let json = null;
  try { json = JSON.parse(res.body); } catch { /* asserted by callers */ }
  return { ...res, json };
}

const exchange = (gw, form, options = {}) => call(gw, 'POST', '/oauth/token', {
  ...options, form: { grant_type: EXCHANGE, subject_token_type: ACCESS, ...form },
});

// The issued token of a successful exchange, decoded.
function issued(res) {
  assert.equal(res.status, 200, res.body);
  assert.equal(res.headers['cache-control'], 'no-store');
  const { header, payload } = decodeJwt(res.json.access_token);
  return { token: res.json.access_token, header, payload, body: res.json };
}

// An RFC 6749 §5.2 error with exactly this code and status, and no-store.
function oauthError(res, status, code) {
  assert.equal(res.status, status, res.body);
  assert.equal(res.json?.error, code, res.body);
  assert.equal(typeof res.json?.error_description, 'string', res.body);
  assert.equal(res.headers['cache-control'], 'no-store');
  return res.json.error_description;
}

const authorize = (gw, token, action, stack) =>
  call(gw, 'POST', '/v1/authorize', { token, body: { action, stack } });

async function decision(gw, token, action, stack) {
  const res = await authorize(gw, token, action, stack);
  assert.equal(res.status, 200, res.body);
  return res.json.decision;
}

describe('tokens: the gateway as an OIDC issuer', () => {
  const sso = es256Key('sso-1');
  const agents = es256Key('agents-1');
  let op;
  let gw;
  let dir;
  let cleanup;
  const secrets = [];

  const ssoToken = (sub, { groups = ['engineering'], exp, extra = {} } = {}) => {
    const t = signEs256({
      iss: SSO, aud: 'stackgate', sub, groups, email: `${sub.split('/').pop()}@example.test`,
      iat: now() - 5, exp: exp ?? now() + 3600, ...extra,
    }, sso, { typ: 'JWT' });
    secrets.push(t);
    return t;
  };
  const agentToken = (sub) => {
    const t = signEs256({ iss: AGENTS, aud: 'stackgate', sub, iat: now() - 5, exp: now() + 3600 },
      agents, { typ: 'JWT' });
    secrets.push(t);
    return t;
  };
  const keep = (t) => { secrets.push(t); return t; };

  before(async () => {
    op = await startOidcProvider({ audience: 'stackgate' });
    ({ dir, cleanup } = tempDir());
    writeFileSync(path.join(dir, 'sso.json'), JSON.stringify({ keys: [sso.jwk] }));
    writeFileSync(path.join(dir, 'agents.json'), JSON.stringify({ keys: [agents.jwk] }));
    writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
    const port = await freePort();
    gw = await startGateway({
      dir, port, rest: `policy: ./policy.yaml
tokens: { default_ttl: 10m, max_ttl: 30m, audiences: ["urn:pulumi:org:acme"] }
${issuersYaml([
    { name: 'corp-sso', kind: 'jwks', issuer: SSO, jwks_file: './sso.json', audiences: ['stackgate'],
      algorithms: ['ES256'], claims: { groups: 'groups', email: 'email' } },
    { name: 'agents', kind: 'jwks', issuer: AGENTS, jwks_file: './agents.json', audiences: ['stackgate'],
      algorithms: ['ES256'], principal_kind: 'machine' },
    { name: 'corp-ci', kind: 'oidc', issuer: op.issuer, audiences: ['stackgate'], algorithms: ['ES256'],
      types: ['at+jwt'], principal_kind: 'machine' },
  ])}projects:
  - org: acme
    name: pay
    dir: .
    stacks: [ { name: dev }, { name: prod } ]
  - org: acme
    name: web
    dir: .
    stacks: [ { name: dev } ]
  - org: other
    name: ops
    dir: .
    stacks: [ { name: prod } ]
`,
    });
  });
  after(async () => {
    await gw?.stop();
    await op?.stop();
    cleanup?.();
  });

  test('discovery names the exact issuer and its endpoints; the JWKS is public keys only', async () => {
    const res = await call(gw, 'GET', '/.well-known/openid-configuration');
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers['cache-control'], 'public, max-age=300');
    const d = res.json;
    assert.equal(d.issuer, gw.url);
    assert.equal(d.jwks_uri, `${gw.url}/.well-known/jwks.json`);
    assert.equal(d.token_endpoint, `${gw.url}/oauth/token`);
    assert.equal(d.revocation_endpoint, `${gw.url}/oauth/revoke`);
    assert.equal(d.introspection_endpoint, `${gw.url}/oauth/introspect`);
    assert.deepEqual(d.grant_types_supported, [EXCHANGE]);
    assert.deepEqual(d.id_token_signing_alg_values_supported, ['ES256', 'EdDSA']);
    const rfc8414 = await call(gw, 'GET', '/.well-known/oauth-authorization-server');
    assert.deepEqual(rfc8414.json, d);

    const jwks = await call(gw, 'GET', '/.well-known/jwks.json');
    assert.equal(jwks.status, 200, jwks.body);
    assert.equal(jwks.headers['cache-control'], 'public, max-age=60');
    assert.equal(jwks.json.keys.length, 1, jwks.body);
    const [key] = jwks.json.keys;
    assert.equal(key.kty, 'EC');
    assert.equal(key.crv, 'P-256');
    assert.equal(key.alg, 'ES256');
    assert.equal(key.use, 'sig');
    assert.match(key.kid, /^tokens-/);
    assert.equal(key.d, undefined);
  });

  test('a person exchanges an SSO token: at+jwt, exact claims, same roles, default lifetime', async () => {
    const subject = ssoToken('user:default/jane');
    const t = issued(await exchange(gw, { subject_token: subject }));
    assert.equal(t.body.issued_token_type, ACCESS);
    assert.equal(t.body.token_type, 'Bearer');
    assert.ok(t.body.expires_in > 590 && t.body.expires_in <= 600, t.body.expires_in);
    assert.equal(t.body.scope, undefined);
    assert.equal(t.header.typ, 'at+jwt');
    assert.equal(t.header.alg, 'ES256');
    const p = t.payload;
    assert.equal(p.iss, gw.url);
    assert.equal(p.aud, gw.url);
    assert.equal(p.sub, 'user:default/jane');
    assert.equal(p.client_id, 'user:default/jane');
    assert.equal(p.idp, 'corp-sso');
    assert.equal(p.kind, 'user');
    assert.equal(p.email, 'jane@example.test');
    assert.deepEqual(p.groups, ['engineering']);
    assert.equal(p.exp - p.iat, 600);
    assert.equal(p.nbf, p.iat);
    assert.match(p.jti, /^[0-9a-f]{32}$/);
    assert.equal(p.scope, undefined);
    assert.equal(p.act, undefined);
    keep(t.token);

    const who = await call(gw, 'GET', '/v1/whoami', { token: t.token });
    assert.equal(who.status, 200, who.body);
    assert.equal(who.json.principal.subject, 'user:default/jane');
    assert.equal(who.json.principal.issuer, 'corp-sso');
    assert.deepEqual(who.json.roles, ['developer']);
    assert.equal(await decision(gw, t.token, 'update', 'acme/web/dev'), 'allow');
    assert.equal(await decision(gw, t.token, 'read', 'other/ops/prod'), 'deny');
  });

  test('an independent verifier (npm jose) discovers the gateway and verifies its tokens', async () => {
    const t = issued(await exchange(gw, { subject_token: ssoToken('user:default/jane') }));
    keep(t.token);
    const d = (await call(gw, 'GET', '/.well-known/openid-configuration')).json;
    const keys = createRemoteJWKSet(new URL(d.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(t.token, keys, {
      issuer: d.issuer, audience: gw.url, typ: 'at+jwt', algorithms: ['ES256', 'EdDSA'],
    });
    assert.equal(payload.sub, 'user:default/jane');
    assert.equal(protectedHeader.kid, t.header.kid);
  });

  test('scopes narrow, may equal, and never exceed what the subject holds', async () => {
    const subject = ssoToken('user:default/jane');
    const narrow = issued(await exchange(gw, { subject_token: subject, scope: 'stack:acme/pay/*:read' }));
    keep(narrow.token);
    assert.equal(narrow.payload.scope, 'stack:acme/pay/*:read');
    assert.equal(narrow.body.scope, 'stack:acme/pay/*:read');
    assert.equal(await decision(gw, narrow.token, 'read', 'acme/pay/dev'), 'allow');
    assert.equal(await decision(gw, narrow.token, 'update', 'acme/pay/dev'), 'deny');
    assert.equal(await decision(gw, narrow.token, 'read', 'acme/web/dev'), 'deny');

    const equal = issued(await exchange(gw, { subject_token: subject, scope: 'stack:acme/*:read,preview,update' }));
    keep(equal.token);
    assert.equal(await decision(gw, equal.token, 'update', 'acme/web/dev'), 'allow');

    assert.match(oauthError(await exchange(gw, { subject_token: subject, scope: 'stack:*:read' }), 400,
      'invalid_scope'), /^scope item 1 asks for read where the subject may not do it$/);
    oauthError(await exchange(gw, { subject_token: subject, scope: 'stack:acme/*:destroy' }), 400, 'invalid_scope');
    oauthError(await exchange(gw, { subject_token: subject, scope: 'stack:*:audit' }), 400, 'invalid_scope');
    oauthError(await exchange(gw, { subject_token: subject, scope: 'repo:read' }), 400, 'invalid_scope');
    // A scoped token is only ever narrowed: asking for more than its scope is refused even where
    // the person behind it could.
    assert.equal(oauthError(await exchange(gw, { subject_token: narrow.token, scope: 'stack:acme/*:read' }), 400,
      'invalid_scope'), "scope asks for more than the subject token's scope");
    const narrower = issued(await exchange(gw, { subject_token: narrow.token, scope: 'stack:acme/pay/dev:read' }));
    keep(narrower.token);
    assert.equal(narrower.payload.scope, 'stack:acme/pay/dev:read');
    // Without a scope, a scoped subject token's scope is kept.
    const kept = issued(await exchange(gw, { subject_token: narrow.token }));
    keep(kept.token);
    assert.equal(kept.payload.scope, 'stack:acme/pay/*:read');
  });

  test('lifetimes: requested, capped at max_ttl, cut to the subject token, positive', async () => {
    const subject = ssoToken('user:default/jane');
    const short = issued(await exchange(gw, { subject_token: subject, requested_ttl: '60' }));
    assert.equal(short.payload.exp - short.payload.iat, 60);
    const capped = issued(await exchange(gw, { subject_token: subject, requested_ttl: '7200' }));
    assert.equal(capped.payload.exp - capped.payload.iat, 1800);
    const soon = now() + 120;
    const bounded = issued(await exchange(gw, { subject_token: ssoToken('user:default/jane', { exp: soon }) }));
    assert.equal(bounded.payload.exp, soon);
    [short, capped, bounded].forEach((t) => keep(t.token));
    oauthError(await exchange(gw, { subject_token: subject, requested_ttl: '0' }), 400, 'invalid_request');
    oauthError(await exchange(gw, { subject_token: subject, requested_ttl: 'soon' }), 400, 'invalid_request');
  });

  test('expired, forged and unknown subject tokens are refused as invalid_request', async () => {
    const expired = ssoToken('user:default/jane', { exp: now() - 120 });
    assert.equal(oauthError(await exchange(gw, { subject_token: expired }), 400, 'invalid_request'),
      'subject_token: token expired');
    const forged = signEs256({ iss: SSO, aud: 'stackgate', sub: 'user:default/admin', exp: now() + 600 },
      es256Key('sso-1'), { typ: 'JWT' });
    assert.match(oauthError(await exchange(gw, { subject_token: forged }), 400, 'invalid_request'),
      /^subject_token: /);
    oauthError(await exchange(gw, { subject_token: 'not-a-token' }), 400, 'invalid_request');
  });

  test('the request itself: grant type, token types, content type, audience', async () => {
    const subject = ssoToken('user:default/jane');
    oauthError(await exchange(gw, { subject_token: subject, grant_type: 'client_credentials' }), 400,
      'unsupported_grant_type');
    assert.equal(oauthError(await exchange(gw, {}), 400, 'invalid_request'), 'subject_token is required');
    oauthError(await exchange(gw, { subject_token: subject, subject_token_type: 'urn:x' }), 400, 'invalid_request');
    oauthError(await exchange(gw, { subject_token: subject, actor_token: subject }), 400, 'invalid_request');
    oauthError(await exchange(gw, { subject_token: subject, requested_token_type: 'urn:x' }), 400, 'invalid_request');
    oauthError(await exchange(gw, { subject_token: subject, audience: 'https://elsewhere.test' }), 400,
      'invalid_target');
    const json = await call(gw, 'POST', '/oauth/token', { body: { grant_type: EXCHANGE, subject_token: subject } });
    oauthError(json, 400, 'invalid_request');
    const jwtType = issued(await exchange(gw, { subject_token: subject, subject_token_type: JWT }));
    keep(jwtType.token);
  });

  test('a Pulumi Cloud audience gets an ID-token-shaped token the gateway itself refuses', async () => {
    const t = issued(await exchange(gw, { subject_token: ssoToken('user:default/jane'), audience: 'urn:pulumi:org:acme' }));
    keep(t.token);
    assert.equal(t.body.issued_token_type, ID_TOKEN);
    assert.equal(t.body.token_type, 'N_A');
    assert.equal(t.header.typ, 'JWT');
    assert.equal(t.payload.aud, 'urn:pulumi:org:acme');
    assert.equal(t.payload.iss, gw.url);
    assert.equal(t.payload.sub, 'user:default/jane');
    assert.equal(t.payload.scope, undefined);
    assert.equal(t.payload.client_id, undefined);
    const who = await call(gw, 'GET', '/v1/whoami', { token: t.token });
    assert.equal(who.status, 401, who.body);
  });

  test('delegation: an agent acting for a person carries act and gets the intersection', async () => {
    const person = ssoToken('user:default/jane');
    const ci = keep(await op.getToken());
    const d = issued(await exchange(gw, { subject_token: person, actor_token: ci, actor_token_type: ACCESS }));
    keep(d.token);
    assert.equal(d.payload.sub, 'user:default/jane');
    assert.equal(d.payload.client_id, op.clientId);
    assert.equal(d.payload.act.sub, op.clientId);
    assert.equal(d.payload.act.idp, 'corp-ci');
    assert.equal(d.payload.act.kind, 'machine');
    assert.equal(d.payload.act.act, undefined);
    const who = await call(gw, 'GET', '/v1/whoami', { token: d.token });
    assert.equal(who.status, 200, who.body);
    assert.deepEqual(who.json.principal.act, [op.clientId]);
    assert.equal(who.json.principal.actor.subject, op.clientId);
    // jane may update acme/*, the agent only reads and previews acme/pay/*.
    assert.equal(await decision(gw, d.token, 'read', 'acme/pay/dev'), 'allow');
    assert.equal(await decision(gw, d.token, 'update', 'acme/pay/dev'), 'deny');
    assert.equal(await decision(gw, d.token, 'read', 'acme/web/dev'), 'deny');
    // Asking for more than the agent holds is refused, not cut down.
    assert.equal(oauthError(await exchange(gw, {
      subject_token: person, actor_token: ci, actor_token_type: ACCESS, scope: 'stack:acme/pay/dev:update',
    }), 400, 'invalid_scope'), 'scope item 1 asks for update where the actor may not do it');

    // Exchanged again without an actor, the delegation stays.
    const again = issued(await exchange(gw, { subject_token: d.token }));
    keep(again.token);
    assert.equal(again.payload.act.sub, op.clientId);

    // A second agent: only with an explicit scope, and the chain nests.
    const second = agentToken('agent-2');
    assert.equal(oauthError(await exchange(gw, {
      subject_token: d.token, actor_token: second, actor_token_type: JWT,
    }), 400, 'invalid_scope'), 'a delegated subject token is delegated again only with an explicit scope');
    const nested = issued(await exchange(gw, {
      subject_token: d.token, actor_token: second, actor_token_type: JWT, scope: 'stack:acme/pay/*:read',
    }));
    keep(nested.token);
    assert.equal(nested.payload.sub, 'user:default/jane');
    assert.equal(nested.payload.act.sub, 'agent-2');
    assert.equal(nested.payload.act.idp, 'agents');
    assert.deepEqual(nested.payload.act.act, { sub: op.clientId });
    const nestedWho = await call(gw, 'GET', '/v1/whoami', { token: nested.token });
    assert.deepEqual(nestedWho.json.principal.act, ['agent-2', op.clientId]);
    assert.equal(await decision(gw, nested.token, 'read', 'acme/pay/prod'), 'allow');
    assert.equal(await decision(gw, nested.token, 'preview', 'acme/pay/prod'), 'deny');
    // An actor token that is itself delegated cannot act.
    oauthError(await exchange(gw, { subject_token: person, actor_token: d.token, actor_token_type: ACCESS }),
      400, 'invalid_request');
  });

  test('a CI job exchanges its own OIDC token (oidc-provider, client credentials) as subject', async () => {
    const ci = keep(await op.getToken());
    const t = issued(await exchange(gw, { subject_token: ci, scope: 'stack:acme/pay/dev:read,preview' }));
    keep(t.token);
    assert.equal(t.payload.sub, op.clientId);
    assert.equal(t.payload.idp, 'corp-ci');
    assert.equal(t.payload.kind, 'machine');
    assert.equal(t.payload.act, undefined);
    // The provider's access token lives 600 s; ours is cut to what is left of it.
    assert.ok(t.payload.exp <= decodeJwt(ci).payload.exp, `${t.payload.exp} > subject exp`);
    assert.equal(await decision(gw, t.token, 'preview', 'acme/pay/dev'), 'allow');
    assert.equal(await decision(gw, t.token, 'preview', 'acme/pay/prod'), 'deny');
    // More than the machine holds (it only reads and previews acme/pay/*) is refused.
    oauthError(await exchange(gw, { subject_token: ci, scope: 'stack:acme/pay/dev:update' }), 400, 'invalid_scope');
  });

  test('stackgate token mint bootstraps a machine identity offline, on the record', async () => {
    const minted = runCli(['token', 'mint', '--config', gw.configPath, '--subject', 'ci-bootstrap',
      '--scope', 'stack:acme/pay/*:read', '--ttl', '5m', '--group', 'bootstrap']);
    assert.equal(minted.code, 0, minted.stderr);
    const token = keep(minted.stdout.trim());
    assert.equal(minted.stdout.split('\n').filter(Boolean).length, 1, 'only the token on stdout');
    const { header, payload } = decodeJwt(token);
    assert.match(minted.stderr, new RegExp(`^minted token ${payload.jti} for ci-bootstrap, expires `));
    assert.equal(header.typ, 'at+jwt');
    assert.equal(payload.iss, gw.url);
    assert.equal(payload.sub, 'ci-bootstrap');
    assert.equal(payload.idp, 'stackgate');
    assert.equal(payload.kind, 'machine');
    assert.deepEqual(payload.groups, ['bootstrap']);
    assert.equal(payload.exp - payload.iat, 300);
    const who = await call(gw, 'GET', '/v1/whoami', { token });
    assert.equal(who.status, 200, who.body);
    assert.equal(who.json.principal.issuer, 'stackgate');
    assert.equal(who.json.principal.scope, 'stack:acme/pay/*:read');
    const admin = keep(issued(await exchange(gw, { subject_token: ssoToken('user:default/admin') })).token);
    const events = await call(gw, 'GET', '/v1/audit?type=token.issued&actor=ci-bootstrap', { token: admin });
    assert.equal(events.status, 200, events.body);
    assert.equal(events.json.events.length, 1, events.body);
    assert.equal(events.json.events[0].details.how, 'cli');
    assert.equal(events.json.events[0].details.jti, payload.jti);

    const bad = runCli(['token', 'mint', '--config', gw.configPath, '--subject', 'x', '--scope', 'stack:acme:fly']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^stackgate token mint: --scope: scope item 1/);
    assert.equal(bad.stdout, '');
    const missing = runCli(['token', 'mint', '--config', path.join(dir, 'nope.yaml'), '--subject', 'x']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stdout, '');
  });

  test('may_act in the subject token admits only that actor', async () => {
    const person = ssoToken('user:default/jane', { extra: { may_act: { sub: 'agent-2' } } });
    assert.match(oauthError(await exchange(gw, {
      subject_token: person, actor_token: keep(await op.getToken()), actor_token_type: ACCESS,
    }), 400, 'invalid_request'), /may_act/);
    const ok = issued(await exchange(gw, {
      subject_token: person, actor_token: agentToken('agent-2'), actor_token_type: JWT,
    }));
    keep(ok.token);
    assert.equal(ok.payload.act.sub, 'agent-2');
  });

  test('revocation takes effect on the next request, even for a token already verified', async () => {
    const t = issued(await exchange(gw, { subject_token: ssoToken('user:default/jane') }));
    keep(t.token);
    assert.equal((await call(gw, 'GET', '/v1/whoami', { token: t.token })).status, 200);
    assert.equal((await call(gw, 'GET', '/v1/whoami', { token: t.token })).status, 200); // cached now
    const res = await call(gw, 'POST', '/oauth/revoke', { form: { token: t.token } });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    const after = await call(gw, 'GET', '/v1/whoami', { token: t.token });
    assert.equal(after.status, 401, after.body);
    assert.equal(after.json.error.code, 'revoked');
    // A revoked token can no longer be exchanged either.
    assert.equal(oauthError(await exchange(gw, { subject_token: t.token }), 400, 'invalid_request'),
      'subject_token: token revoked');
    // Revoking again, or revoking nonsense, is 200 (RFC 7009 §2.2).
    assert.equal((await call(gw, 'POST', '/oauth/revoke', { form: { token: t.token } })).status, 200);
    assert.equal((await call(gw, 'POST', '/oauth/revoke', { form: { token: 'garbage' } })).status, 200);
    oauthError(await call(gw, 'POST', '/oauth/revoke', { form: {} }), 400, 'invalid_request');
  });

  test('an admin revokes by jti; others may not', async () => {
    const admin = issued(await exchange(gw, { subject_token: ssoToken('user:default/admin') }));
    const victim = issued(await exchange(gw, { subject_token: ssoToken('user:default/jane') }));
    const other = issued(await exchange(gw, { subject_token: ssoToken('user:default/bob') }));
    [admin, victim, other].forEach((t) => keep(t.token));
    oauthError(await call(gw, 'POST', '/oauth/revoke', { token: other.token, form: { token: victim.payload.jti } }),
      403, 'insufficient_scope');
    assert.equal((await call(gw, 'GET', '/v1/whoami', { token: victim.token })).status, 200);
    const res = await call(gw, 'POST', '/oauth/revoke', { token: admin.token, form: { token: victim.payload.jti } });
    assert.equal(res.status, 200, res.body);
    const after = await call(gw, 'GET', '/v1/whoami', { token: victim.token });
    assert.equal(after.json?.error?.code, 'revoked', after.body);
  });

  test('introspection: admin only; active tokens described, anything else inactive', async () => {
    const admin = issued(await exchange(gw, { subject_token: ssoToken('user:default/admin') }));
    const jane = issued(await exchange(gw, { subject_token: ssoToken('user:default/jane'), scope: 'stack:acme/pay/*:read' }));
    [admin, jane].forEach((t) => keep(t.token));
    const active = await call(gw, 'POST', '/oauth/introspect', { token: admin.token, form: { token: jane.token } });
    assert.equal(active.status, 200, active.body);
    assert.equal(active.json.active, true);
    assert.equal(active.json.sub, 'user:default/jane');
    assert.equal(active.json.scope, 'stack:acme/pay/*:read');
    assert.equal(active.json.jti, jane.payload.jti);
    assert.equal(active.json.exp, jane.payload.exp);
    assert.equal(active.json.token_type, 'Bearer');
    for (const token of ['garbage', ssoToken('user:default/jane')]) {
      const inactive = await call(gw, 'POST', '/oauth/introspect', { token: admin.token, form: { token } });
      assert.deepEqual(inactive.json, { active: false }, inactive.body);
    }
    await call(gw, 'POST', '/oauth/revoke', { form: { token: jane.token } });
    const revoked = await call(gw, 'POST', '/oauth/introspect', { token: admin.token, form: { token: jane.token } });
    assert.deepEqual(revoked.json, { active: false });
    const bob = keep(issued(await exchange(gw, { subject_token: ssoToken('user:default/bob') })).token);
    oauthError(await call(gw, 'POST', '/oauth/introspect', { token: bob, form: { token: admin.token } }),
      403, 'insufficient_scope');
    // The revoked token cannot introspect either: it no longer authenticates.
    oauthError(await call(gw, 'POST', '/oauth/introspect', { token: jane.token, form: { token: admin.token } }),
      401, 'invalid_token');
    const anonymous = await call(gw, 'POST', '/oauth/introspect', { form: { token: admin.token } });
    oauthError(anonymous, 401, 'invalid_token');
    assert.equal(anonymous.headers['www-authenticate'], 'Bearer realm="stackgate"');
  });

  test('issued, refused and revoked tokens are audit events by jti, never by value', async () => {
    const admin = issued(await exchange(gw, { subject_token: ssoToken('user:default/admin') }));
    keep(admin.token);
    const t = issued(await exchange(gw, { subject_token: ssoToken('user:default/jane'), scope: 'stack:acme/pay/*:read' }));
    keep(t.token);
    await exchange(gw, { subject_token: ssoToken('user:default/jane'), scope: 'stack:*:destroy' });
    await call(gw, 'POST', '/oauth/revoke', { form: { token: t.token } });
    const res = await call(gw, 'GET', '/v1/audit?type=token.issued&limit=500', { token: admin.token });
    assert.equal(res.status, 200, res.body);
    const mine = res.json.events.find((e) => e.details.jti === t.payload.jti);
    assert.ok(mine, res.body);
    assert.equal(mine.actor.subject, 'user:default/jane');
    assert.equal(mine.actor.issuer, 'corp-sso');
    assert.equal(mine.action, 'issue');
    assert.deepEqual(mine.details, {
      aud: gw.url, exp: t.payload.exp, how: 'exchange', jti: t.payload.jti, kid: t.header.kid,
      scope: 'stack:acme/pay/*:read', token_type: 'access_token',
    });
    const refused = await call(gw, 'GET', '/v1/audit?type=token.refused&limit=500', { token: admin.token });
    assert.ok(refused.json.events.some((e) => e.reason === 'invalid_scope' && e.actor.subject === 'user:default/jane'),
      refused.body);
    const revoked = await call(gw, 'GET', '/v1/audit?type=token.revoked&limit=500', { token: admin.token });
    const r = revoked.json.events.find((e) => e.details.jti === t.payload.jti);
    assert.ok(r, revoked.body);
    assert.equal(r.details.how, 'holder');
    const all = await call(gw, 'GET', '/v1/audit?limit=1000', { token: admin.token });
    for (const secret of secrets) {
      assert.ok(!all.body.includes(secret.split('.')[2]), 'a token signature is in the audit log');
    }
  });

  test('after keys rotate, old tokens still verify and new ones use the new key', async () => {
    const before = issued(await exchange(gw, { subject_token: ssoToken('user:default/jane') }));
    keep(before.token);
    const rotated = runCli(['keys', 'rotate', '--config', gw.configPath]);
    assert.equal(rotated.code, 0, rotated.stderr);
    let fresh;
    await waitFor(async () => {
      fresh = issued(await exchange(gw, { subject_token: ssoToken('user:default/jane') }));
      keep(fresh.token);
      return fresh.header.kid !== before.header.kid;
    }, { timeoutMs: 20_000, intervalMs: 500, what: 'signing with the rotated key' });
    const jwks = (await call(gw, 'GET', '/.well-known/jwks.json')).json;
    assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), [before.header.kid, fresh.header.kid].sort());
    const keys = createRemoteJWKSet(new URL(`${gw.url}/.well-known/jwks.json`));
    for (const t of [before, fresh]) {
      const { payload } = await jwtVerify(t.token, keys, { issuer: gw.url, audience: gw.url, typ: 'at+jwt' });
      assert.equal(payload.jti, t.payload.jti);
      assert.equal((await call(gw, 'GET', '/v1/whoami', { token: t.token })).status, 200);
    }
  });

  test('no token value or signature reaches the gateway log', async () => {
    await gw.stop();
    for (const token of secrets) {
      assert.ok(!gw.stderr.includes(token), 'a token appears in the gateway log');
      assert.ok(!gw.stderr.includes(token.split('.')[2]), 'a token signature appears in the gateway log');
    }
  });
});

describe('tokens: development tokens exchange too (serve --dev)', () => {
  test('a /dev/token subject becomes a stackgate token with the same identity', async () => {
    const gw = await startGateway({ args: ['serve', '--dev', '--listen', '127.0.0.1:0'] });
    try {
      const dev = await call(gw, 'POST', '/dev/token', { body: { subject: 'user:default/dev', groups: ['g'] } });
      assert.equal(dev.status, 200, dev.body);
      const t = issued(await exchange(gw, { subject_token: dev.json.access_token }));
      assert.equal(t.payload.idp, 'dev');
      assert.deepEqual(t.payload.groups, ['g']);
      const who = await call(gw, 'GET', '/v1/whoami', { token: t.token });
      assert.equal(who.status, 200, who.body);
      assert.equal(who.json.principal.subject, 'user:default/dev');
      assert.equal(who.json.principal.issuer, 'dev');
    } finally {
      await gw.stop();
    }
  });
});

describe('tokens: a real Backstage user exchanges its token', { skip: !backstageInstalled() && 'Backstage packages not installed' }, () => {
  let bs;
  let gw;
  before(async () => {
    bs = await startBackstage();
    gw = await startGateway({ rest: issuersYaml([{ name: 'backstage', kind: 'backstage', issuer: bs.authIssuer }]) });
  });
  after(async () => {
    await gw?.stop();
    await bs?.stop();
  });

  test('the guest keeps its entity ref and ownership through the exchange', async () => {
    const token = await bs.guestToken();
    const t = issued(await exchange(gw, { subject_token: token }));
    assert.equal(t.payload.sub, 'user:development/guest');
    assert.equal(t.payload.idp, 'backstage');
    assert.deepEqual(t.payload.ownership, bs.ownershipRefs);
    const who = await call(gw, 'GET', '/v1/whoami', { token: t.token });
    assert.equal(who.status, 200, who.body);
    assert.equal(who.json.principal.subject, 'user:development/guest');
    assert.equal(who.json.principal.issuer, 'backstage');
    assert.deepEqual(who.json.principal.ownership, bs.ownershipRefs);
  });
});
