// serve --dev: the development issuer behind POST /dev/token, and /v1/whoami with its tokens.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway } from './helpers/gateway.mjs';

async function mint(gw, body, contentType = 'application/json') {
  return fetch(`${gw.url}/dev/token`, {
    method: 'POST', headers: { 'Content-Type': contentType }, body: JSON.stringify(body),
  });
}

describe('development issuer', () => {
  let gw;
  before(async () => { gw = await startGateway({ args: ['serve', '--dev', '--listen', '127.0.0.1:0'] }); });
  after(async () => { await gw.stop(); });

  it('mints a token that /v1/whoami accepts', async () => {
    const res = await mint(gw, { subject: 'alice', email: 'alice@example.com', name: 'Alice', team: 'payments', groups: ['eng', 'oncall'], ttl: '5m' });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 300);
    const who = await fetch(`${gw.url}/v1/whoami`, { headers: { Authorization: `Bearer ${body.access_token}` } });
    assert.equal(who.status, 200);
    const { principal } = await who.json();
    assert.deepEqual({ ...principal, expires_at: 0 }, {
      subject: 'alice', issuer: 'dev', kind: 'user', email: 'alice@example.com', name: 'Alice',
      team: 'payments', groups: ['eng', 'oncall'], ownership: [], act: [], expires_at: 0,
    });
    assert.ok(principal.expires_at > Date.now() / 1000 + 250);
    assert.ok(!gw.stderr.includes(body.access_token), 'the token must never be logged');
  });

  it('caps the lifetime at one hour', async () => {
    const body = await (await mint(gw, { subject: 'bob', ttl: '10h' })).json();
    assert.equal(body.expires_in, 3600);
  });

  it('refuses a request without a subject, with unknown members, or not JSON', async () => {
    let res = await mint(gw, { groups: ['x'] });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: { code: 'invalid_argument', message: 'subject is required' } });
    res = await mint(gw, { subject: 'a', admin: true });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.message, 'unknown member "admin"');
    res = await mint(gw, { subject: 'a', groups: 'eng' });
    assert.equal((await res.json()).error.message, 'groups must be an array of strings');
    res = await mint(gw, { subject: 'a' }, 'text/plain');
    assert.equal(res.status, 415);
    res = await fetch(`${gw.url}/dev/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"subject":"a","subject":"b"}' });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.code, 'invalid_argument');
  });

  it('whoami without a token is 401 with the bearer challenge', async () => {
    const res = await fetch(`${gw.url}/v1/whoami`);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="stackgate"');
    assert.equal((await res.json()).error.code, 'unauthenticated');
  });

  it('whoami with a tampered token is 401 invalid_token, and the token is not logged', async () => {
    const { access_token: token } = await (await mint(gw, { subject: 'carol' })).json();
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url'));
    payload.sub = 'mallory';
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const res = await fetch(`${gw.url}/v1/whoami`, { headers: { Authorization: `Bearer ${tampered}` } });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, 'bad_signature');
    assert.match(res.headers.get('www-authenticate'), /^Bearer realm="stackgate", error="invalid_token", error_description="[^"]+"$/);
    await gw.waitForLog((l) => l.msg === 'authentication failed' && l.reason === 'bad_signature');
    assert.ok(!gw.stderr.includes(tampered));
  });

  it('whoami with another scheme is 401 malformed_token', async () => {
    const res = await fetch(`${gw.url}/v1/whoami`, { headers: { Authorization: 'Basic YTpi' } });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, 'malformed_token');
  });
});

describe('outside development mode', () => {
  it('does not route /dev/token at all', async () => {
    const gw = await startGateway();
    try {
      const res = await mint(gw, { subject: 'alice' });
      assert.equal(res.status, 404);
    } finally {
      await gw.stop();
    }
  });
});
