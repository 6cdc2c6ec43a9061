// Identity, black-box: the real gateway verifies tokens from real peers (an OpenID provider, a
// Backstage backend) and refuses what a rogue issuer forges. Each peer starts once per suite.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { SignJWT } from 'jose';

import { decodeJwt, issuersYaml, waitFor, whoami } from './helpers/auth.mjs';
import { startGateway } from './helpers/gateway.mjs';
import { backstageInstalled, startBackstage } from './peers/backstage.mjs';
import { startOidcProvider } from './peers/oidc.mjs';
import { startRogueIssuer } from './peers/rogue_issuer.mjs';

const now = () => Math.floor(Date.now() / 1000);
const JWKS_REFRESH_COOLDOWN_MS = 30_000; // identity::JwksCacheOptions::cooldown

// Checks the shape every principal has, then returns it.
function principalOf(res) {
  assert.equal(res.status, 200, res.body);
  const p = res.json?.principal;
  assert.ok(p, `no principal in ${res.body}`);
  for (const field of ['subject', 'issuer', 'kind', 'email', 'name', 'team']) {
    assert.equal(typeof p[field], 'string', `principal.${field} in ${res.body}`);
  }
  assert.ok(Array.isArray(p.groups), res.body);
  assert.ok(Array.isArray(p.ownership), res.body);
  assert.equal(typeof p.expires_at, 'number', res.body);
  return p;
}

// A 401 for a bad token: exact error code, the RFC 6750 challenge, and the token nowhere.
async function assertRejected(gw, token, code) {
  const res = await whoami(gw, token);
  assert.equal(res.status, 401, res.body);
  assert.equal(res.json?.error?.code, code, res.body);
  const challenge = res.headers['www-authenticate'];
  assert.match(challenge ?? '',
    /^Bearer realm="stackgate", error="invalid_token", error_description="[^"\\]+"$/);
  assert.ok(!res.body.includes(token), 'the token is echoed in the body');
  assert.ok(!challenge.includes(token), 'the token is echoed in WWW-Authenticate');
  return res;
}

// Stops the gateway (flushing its log) and checks no token, nor a token's signature, was logged.
async function assertTokensNotLogged(gw, tokens) {
  await gw.stop();
  for (const token of tokens) {
    assert.ok(!gw.stderr.includes(token), 'a token appears in the gateway log');
    const signature = token.split('.')[2];
    if (signature) assert.ok(!gw.stderr.includes(signature), 'a token signature appears in the gateway log');
  }
}

describe('identity with a real OpenID provider (oidc-provider)', () => {
  let op;
  let gw;
  let gwWrongAudience;
  const seen = [];
  const issuer = (audiences) => ({
    name: 'corp-ci', kind: 'oidc', issuer: op.issuer, audiences, algorithms: ['ES256'],
    types: ['at+jwt'], leeway: '30s', principal_kind: 'machine',
  });

  before(async () => {
    op = await startOidcProvider({ audience: 'stackgate' });
    gw = await startGateway({ rest: issuersYaml([issuer(['stackgate'])]) });
    gwWrongAudience = await startGateway({ rest: issuersYaml([issuer(['payments-api'])]) });
  });
  after(async () => {
    await gw?.stop();
    await gwWrongAudience?.stop();
    await op?.stop();
  });

  test('no Authorization header is 401 unauthenticated with a bare challenge', async () => {
    const res = await whoami(gw);
    assert.equal(res.status, 401, res.body);
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="stackgate"');
    assert.equal(res.json?.error?.code, 'unauthenticated', res.body);
  });

  test('a machine access token from the client credentials grant is accepted', async () => {
    const token = await op.getToken();
    seen.push(token);
    const { header, payload } = decodeJwt(token);
    assert.equal(header.typ, 'at+jwt');
    const p = principalOf(await whoami(gw, token));
    assert.equal(p.subject, op.clientId);
    assert.equal(p.issuer, 'corp-ci');
    assert.equal(p.kind, 'machine');
    assert.equal(p.expires_at, payload.exp);
  });

  test('a token for another audience is 401 wrong_audience', async () => {
    const token = await op.getToken();
    seen.push(token);
    await assertRejected(gwWrongAudience, token, 'wrong_audience');
  });

  test('after the provider rotates its key, a token with the new kid is accepted', async () => {
    const first = await op.getToken();
    seen.push(first);
    principalOf(await whoami(gw, first)); // the gateway now holds the old key
    const oldKid = op.kid;
    await op.restart();
    assert.notEqual(op.kid, oldKid);
    const published = (await op.jwks()).keys.map((k) => k.kid);
    assert.deepEqual(published, [op.kid], 'the old key is gone from the provider');

    const token = await op.getToken();
    seen.push(token);
    assert.equal(decodeJwt(token).header.kid, op.kid);
    // The gateway refetches the JWKS for an unknown kid, but at most once per refresh cooldown
    // (30 s, counted from its last fetch): until then the new kid is unknown_key, after it the
    // token is accepted. Poll within that bound.
    const refusals = new Set();
    let accepted;
    await waitFor(async () => {
      const res = await whoami(gw, token);
      if (res.status === 200) accepted = res;
      else refusals.add(`${res.status} ${res.json?.error?.code}`);
      return accepted !== undefined;
    }, { timeoutMs: JWKS_REFRESH_COOLDOWN_MS + 10_000, intervalMs: 500, what: 'acceptance of the new kid' });
    assert.ok([...refusals].every((r) => r === '401 unknown_key'), [...refusals].join(', '));
    const p = principalOf(accepted);
    assert.equal(p.subject, op.clientId);
    assert.equal(p.kind, 'machine');
  });

  test('with the provider down, known keys still verify and unknown keys are refused', async () => {
    const fresh = await op.getToken(); // signed by the key the gateway already holds
    seen.push(fresh);
    await op.stop();

    const p = principalOf(await whoami(gw, fresh));
    assert.equal(p.subject, op.clientId);

    // A token naming the provider as issuer but signed with a key it never published.
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = await new SignJWT({ client_id: op.clientId, scope: 'stacks' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: crypto.randomUUID() })
      .setIssuer(op.issuer).setSubject(op.clientId).setAudience('stackgate')
      .setIssuedAt().setExpirationTime('5m')
      .sign(privateKey);
    seen.push(forged);
    await assertRejected(gw, forged, 'unknown_key');
  });

  test('no token reaches the gateway log', async () => {
    await assertTokensNotLogged(gw, seen);
    await assertTokensNotLogged(gwWrongAudience, seen);
  });
});

describe('identity refuses what a rogue issuer forges', () => {
  let rogue;
  let untrusted;
  let gw;
  const seen = [];
  const sign = async (claims, options) => {
    const token = await rogue.sign(claims, options);
    seen.push(token);
    return token;
  };

  before(async () => {
    rogue = await startRogueIssuer();
    untrusted = await startRogueIssuer();
    gw = await startGateway({
      rest: issuersYaml([{
        name: 'rogue', kind: 'oidc', issuer: rogue.issuer, audiences: ['stackgate'],
        algorithms: ['ES256', 'ES384'], types: ['at+jwt'], leeway: '30s',
        claims: { email: 'email', name: 'name', groups: 'realm_access.roles', team: 'team' },
        principal_kind: 'user',
      }]),
    });
  });
  after(async () => {
    await gw?.stop();
    await rogue?.stop();
    await untrusted?.stop();
  });

  test('a valid token maps its claims to the principal', async () => {
    const claims = rogue.claims({
      sub: 'jane', email: 'jane@example.com', name: 'Jane Doe', team: 'payments',
      realm_access: { roles: ['engineering', 'oncall'] },
    });
    const p = principalOf(await whoami(gw, await sign(claims)));
    assert.deepEqual(p, {
      ...p, // roles, permissions or other members the gateway adds
      subject: 'jane', issuer: 'rogue', kind: 'user', email: 'jane@example.com', name: 'Jane Doe',
      team: 'payments', groups: ['engineering', 'oncall'], expires_at: claims.exp,
    });
  });

  test('every algorithm on the allow-list is accepted (ES384)', async () => {
    const p = principalOf(await whoami(gw, await sign(rogue.claims({ sub: 'es384' }), { alg: 'ES384' })));
    assert.equal(p.subject, 'es384');
  });

  test('a token expired less than the leeway ago is accepted', async () => {
    const token = await sign(rogue.claims({ iat: now() - 600, exp: now() - 5 }));
    principalOf(await whoami(gw, token));
  });

  test('an expired token is 401 expired', async () => {
    await assertRejected(gw, await sign(rogue.claims({ iat: now() - 7200, exp: now() - 3600 })), 'expired');
  });

  test('a token not valid yet is 401 not_yet_valid', async () => {
    await assertRejected(gw, await sign(rogue.claims({ nbf: now() + 3600, exp: now() + 7200 })), 'not_yet_valid');
  });

  test('a token for another audience is 401 wrong_audience', async () => {
    await assertRejected(gw, await sign(rogue.claims({ aud: ['billing', 'other'] })), 'wrong_audience');
  });

  test('an algorithm outside the allow-list is 401 disallowed_algorithm', async () => {
    await assertRejected(gw, await sign(rogue.claims(), { alg: 'RS256' }), 'disallowed_algorithm');
  });

  test('alg none is 401 disallowed_algorithm', async () => {
    const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(rogue.claims())}.`;
    seen.push(token);
    await assertRejected(gw, token, 'disallowed_algorithm');
  });

  test('HS256 signed with the public key as secret (algorithm confusion) is refused', async () => {
    for (const k of [rogue.keys.rs256, rogue.keys.es256]) {
      const token = await sign(rogue.claims(), { alg: 'HS256', key: Buffer.from(k.publicPem), kid: k.kid });
      const res = await whoami(gw, token);
      assert.equal(res.status, 401, res.body);
      assert.ok(['disallowed_algorithm', 'bad_signature'].includes(res.json?.error?.code), res.body);
    }
  });

  test('a tampered payload is 401 bad_signature', async () => {
    const token = await sign(rogue.claims({ sub: 'jane' }));
    const tampered = rogue.tamper(token, rogue.claims({ sub: 'admin' }));
    seen.push(tampered);
    await assertRejected(gw, tampered, 'bad_signature');
  });

  test('an ES256 signature in DER encoding is 401 bad_signature', async () => {
    await assertRejected(gw, await sign(rogue.claims(), { der: true }), 'bad_signature');
  });

  test('a key the issuer never published is 401 unknown_key', async () => {
    await assertRejected(gw, await sign(rogue.claims(), { key: rogue.keys.unpublished }), 'unknown_key');
  });

  test('a typ this issuer does not send is 401 malformed_token', async () => {
    await assertRejected(gw, await sign(rogue.claims(), { typ: 'JWT' }), 'malformed_token');
  });

  test('something that is not a JWT is 401 malformed_token', async () => {
    await assertRejected(gw, 'not-a-jwt', 'malformed_token');
  });

  test('a token from an issuer nobody trusts is 401 wrong_issuer', async () => {
    const token = await untrusted.sign(untrusted.claims());
    seen.push(token);
    await assertRejected(gw, token, 'wrong_issuer');
  });

  test('no token reaches the gateway log', async () => {
    await assertTokensNotLogged(gw, seen);
  });
});

const backstageSkip = backstageInstalled() ? false
  : 'the Backstage packages are not installed (cd tests/integration && npm ci)';

describe('identity with a real Backstage backend', { skip: backstageSkip }, () => {
  let bs;
  let otherBackstage; // a second "Backstage" with its own keys, at the same kind of URL
  let gw;
  let gwOther;
  const seen = [];

  before(async () => {
    bs = await startBackstage();
    otherBackstage = await startRogueIssuer({ path: '/api/auth' });
    gw = await startGateway({
      rest: issuersYaml([{ name: 'backstage', kind: 'backstage', issuer: bs.authIssuer }]),
    });
    gwOther = await startGateway({
      rest: issuersYaml([{ name: 'other-backstage', kind: 'backstage', issuer: otherBackstage.issuer }]),
    });
  });
  after(async () => {
    await gw?.stop();
    await gwOther?.stop();
    await bs?.stop();
    await otherBackstage?.stop();
  });

  test('the guest user token is accepted, with ownership from userinfo', async () => {
    const token = await bs.guestToken();
    seen.push(token);
    const { header, payload } = decodeJwt(token);
    assert.equal(header.typ, 'vnd.backstage.user');
    assert.equal(payload.ent, undefined, 'this Backstage puts no ent claim in its tokens');
    assert.ok(bs.ownershipRefs.length > 0);

    const p = principalOf(await whoami(gw, token));
    assert.equal(p.subject, 'user:development/guest');
    assert.equal(p.issuer, 'backstage');
    assert.equal(p.kind, 'user');
    assert.deepEqual([...p.ownership].sort(), [...bs.ownershipRefs].sort());
    assert.equal(p.expires_at, payload.exp);
  });

  test('a limited user token derived from it is accepted for the same user', async () => {
    const token = await bs.guestToken();
    const limited = bs.limitedToken(token);
    seen.push(token, limited);
    assert.equal(decodeJwt(limited).header.typ, 'vnd.backstage.limited-user');
    const p = principalOf(await whoami(gw, limited));
    assert.equal(p.subject, 'user:development/guest');
    assert.equal(p.issuer, 'backstage');
    assert.equal(p.kind, 'user');
    assert.equal(p.expires_at, decodeJwt(limited).payload.exp);
  });

  test('a token signed by another Backstage instance, claiming this one as issuer, is 401 unknown_key', async () => {
    const claims = {
      iss: bs.authIssuer, sub: 'user:development/guest', aud: 'backstage', iat: now(), exp: now() + 600,
      ent: ['user:development/guest', 'group:default/admins'],
    };
    const user = await otherBackstage.sign(claims, { typ: 'vnd.backstage.user' });
    const limited = await otherBackstage.sign(
      { sub: 'user:development/guest', iat: claims.iat, exp: claims.exp }, { typ: 'vnd.backstage.limited-user' });
    seen.push(user, limited);
    await assertRejected(gw, user, 'unknown_key');
    await assertRejected(gw, limited, 'unknown_key');
  });

  test('a gateway that trusts another Backstage refuses this one\'s tokens', async () => {
    const token = await bs.guestToken();
    const limited = bs.limitedToken(token);
    seen.push(token, limited);
    await assertRejected(gwOther, token, 'wrong_issuer');
    // A limited token has no iss: the issuer is pinned by the keys, which this gateway lacks.
    await assertRejected(gwOther, limited, 'unknown_key');
  });

  test('no token reaches the gateway log', async () => {
    await assertTokensNotLogged(gw, seen);
    await assertTokensNotLogged(gwOther, seen);
  });
});
