// Tests of peers/pulumi_cloud.mjs, the Pulumi Cloud token-exchange stand-in the runs tests use:
// what it accepts, what it refuses and how, and what it records. Tokens are signed here with a
// local key served from a local JWKS; no gateway is started.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import { exportJWK, generateKeyPair, SignJWT } from 'jose';

import { request } from './helpers/auth.mjs';
import { startPulumiCloud } from './peers/pulumi_cloud.mjs';

const ISSUER = 'https://gw.example.test';
const ORG = 'acme';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function startJwks(keys) {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

async function newKey(kid) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

// A run token as stackgate mints it, with `overrides` for the negative cases.
function runToken(key, { typ = 'JWT', claims = {}, expiresIn = '5m', issuer = ISSUER, audience = `urn:pulumi:org:${ORG}` } = {}) {
  return new SignJWT({ run_id: 'r1', requester: 'user:default/jane', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject('stack:acme/payments/dev:operation:up')
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .setJti('j1')
    .sign(key.privateKey);
}

function form(token, fields = {}) {
  const values = {
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    audience: `urn:pulumi:org:${ORG}`,
    subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
    subject_token: token,
    requested_token_type: 'urn:pulumi:token-type:access_token:team',
    scope: 'team:payments',
    expiration: '1800',
    ...fields,
  };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined) params.append(k, v);
  return params.toString();
}

async function setup(t, options = {}) {
  const key = await newKey('k1');
  const jwks = await startJwks([key.jwk]);
  const cloud = await startPulumiCloud({ jwksUrl: jwks.url, issuer: ISSUER, org: ORG, ...options });
  t.after(async () => { await cloud.close(); await jwks.close(); });
  const post = (body, headers = FORM) =>
    request(`${cloud.url}/api/oauth/token`, { method: 'POST', headers, body });
  return { key, cloud, post };
}

test('a verified run token is exchanged for an access token, and the exchange is recorded', async (t) => {
  const { key, cloud, post } = await setup(t);
  const res = await post(form(await runToken(key)));
  assert.equal(res.status, 200, res.body);
  const body = res.json();
  assert.match(body.access_token, /^pul-[0-9a-f]{40}$/);
  assert.deepEqual({ ...body, access_token: 'x' }, {
    access_token: 'x', issued_token_type: 'urn:pulumi:token-type:access_token:team',
    token_type: 'token', expires_in: 1800, scope: 'team:payments',
  });
  assert.equal(cloud.exchanges.length, 1);
  const [x] = cloud.exchanges;
  assert.equal(x.ok, true);
  assert.equal(x.tokenType, 'team');
  assert.equal(x.scope, 'team:payments');
  assert.equal(x.expiration, 1800);
  assert.equal(x.accessToken, body.access_token);
  assert.equal(x.claims.sub, 'stack:acme/payments/dev:operation:up');
  assert.equal(x.claims.requester, 'user:default/jane');
  assert.equal(x.header.typ, 'JWT');
});

test('organization and personal tokens take their own scopes; expiration defaults to 2 h', async (t) => {
  const { key, post } = await setup(t);
  const token = await runToken(key);
  const org = await post(form(token, {
    requested_token_type: 'urn:pulumi:token-type:access_token:organization', scope: undefined, expiration: undefined,
  }));
  assert.equal(org.status, 200, org.body);
  assert.equal(org.json().expires_in, 7200);
  assert.equal(org.json().scope, '');
  const personal = await post(form(token, {
    requested_token_type: 'urn:pulumi:token-type:access_token:personal', scope: 'user:jane',
  }));
  assert.equal(personal.status, 200, personal.body);
  for (const [type, scope] of [['organization', 'team:payments'], ['team', undefined], ['team', 'user:jane'],
    ['personal', 'team:payments']]) {
    const res = await post(form(token, { requested_token_type: `urn:pulumi:token-type:access_token:${type}`, scope }));
    assert.equal(res.status, 400, `${type} ${scope}`);
    assert.equal(res.json().error, 'invalid_scope');
  }
});

test('subject tokens that do not verify are refused and recorded as refused', async (t) => {
  const { key, cloud, post } = await setup(t);
  const stranger = await newKey('k1'); // same kid, another key: a bad signature
  const cases = {
    'wrong audience': await runToken(key, { audience: 'urn:pulumi:org:other' }),
    'wrong issuer': await runToken(key, { issuer: 'https://evil.example' }),
    'wrong typ': await runToken(key, { typ: 'at+jwt' }),
    expired: await runToken(key, { expiresIn: Math.floor(Date.now() / 1000) - 120 }),
    'bad signature': await runToken(stranger),
    'not a JWT': 'not-a-jwt',
  };
  for (const [what, token] of Object.entries(cases)) {
    const res = await post(form(token));
    assert.equal(res.status, 400, what);
    assert.equal(res.json().error, 'invalid_request', what);
    assert.match(res.json().error_description, /^the subject token does not verify: /, what);
  }
  assert.equal(cloud.exchanges.length, Object.keys(cases).length);
  assert.ok(cloud.exchanges.every((x) => !x.ok && x.status === 400 && x.error === 'invalid_request'));
});

test('the form is checked field by field', async (t) => {
  const { key, post } = await setup(t);
  const token = await runToken(key);
  const expect = async (body, status, error, description, headers) => {
    const res = await post(body, headers);
    assert.equal(res.status, status, body);
    assert.deepEqual(res.json(), { error, error_description: description });
  };
  await expect(form(token, { grant_type: 'client_credentials' }), 400, 'unsupported_grant_type',
    'unsupported grant_type client_credentials');
  await expect(form(token, { audience: 'urn:pulumi:org:other' }), 400, 'invalid_request',
    'audience must be urn:pulumi:org:acme');
  await expect(form(token, { subject_token_type: 'urn:ietf:params:oauth:token-type:jwt' }), 400, 'invalid_request',
    'subject_token_type must be urn:ietf:params:oauth:token-type:id_token');
  await expect(form(token, { subject_token: undefined }), 400, 'invalid_request', 'parameter subject_token is missing');
  await expect(`${form(token)}&client_id=x`, 400, 'invalid_request', 'unknown parameter client_id');
  await expect(`${form(token)}&scope=team:x`, 400, 'invalid_request', 'parameter scope is repeated');
  await expect(form(token, { expiration: '1.5' }), 400, 'invalid_request', 'expiration must be a number of seconds');
  await expect(form(token, { expiration: '0' }), 400, 'invalid_request', 'expiration must be 1 to 31536000 seconds');
  await expect(form(token, { requested_token_type: 'urn:pulumi:token-type:access_token:deployment' }), 400,
    'invalid_request', 'unsupported requested_token_type urn:pulumi:token-type:access_token:deployment');
  await expect(JSON.stringify({ subject_token: token }), 415, 'invalid_request',
    'the body must be application/x-www-form-urlencoded', { 'content-type': 'application/json' });
});

test('a policy can refuse an exchange, other paths and methods answer as Pulumi Cloud does', async (t) => {
  const { key, cloud, post } = await setup(t, {
    policy: (claims, { tokenType }) => (tokenType === 'team' && claims.sub.endsWith(':operation:up')
      ? 'no authorization policy matched' : true),
  });
  const res = await post(form(await runToken(key)));
  assert.equal(res.status, 403);
  assert.deepEqual(res.json(), { error: 'access_denied', error_description: 'no authorization policy matched' });
  assert.equal(cloud.exchanges[0].status, 403);
  assert.equal(cloud.exchanges[0].claims.sub, 'stack:acme/payments/dev:operation:up');

  const get = await request(`${cloud.url}/api/oauth/token`);
  assert.equal(get.status, 405);
  const other = await request(`${cloud.url}/api/user`);
  assert.equal(other.status, 404);
  assert.deepEqual(other.json(), { code: 404, message: 'Not Found' });
});
