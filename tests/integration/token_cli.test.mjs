// `stackgate token inspect` and offline `stackgate token verify --jwks`.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, tempDir } from './helpers/gateway.mjs';
import { es256Key, signEs256 } from './helpers/jws.mjs';

describe('stackgate token', () => {
  const t = tempDir();
  const key = es256Key('test-key');
  const jwksFile = path.join(t.dir, 'jwks.json');
  const iat = 1_800_000_000;
  const claims = { iss: 'https://issuer.example', sub: 'ci-bot', aud: 'stackgate', iat, exp: iat + 600 };
  const token = signEs256(claims, key);
  before(() => writeFileSync(jwksFile, JSON.stringify({ keys: [key.jwk] })));
  after(() => t.cleanup());

  const verify = (tok, extra = []) => runCli(['token', 'verify', '--jwks', jwksFile, '--issuer',
    'https://issuer.example', '--audience', 'stackgate', ...extra, tok]);

  it('inspect decodes without trusting, and says so', () => {
    const r = runCli(['token', 'inspect', token]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^UNVERIFIED: decoded only; neither the signature nor any claim was checked\.\n/);
    assert.match(r.stdout, /"sub": "ci-bot"/);
    assert.match(r.stdout, /"kid": "test-key"/);
    assert.match(r.stdout, /signature: 64 bytes/);
  });

  it('inspect reads the token from stdin with -', () => {
    const r = runCli(['token', 'inspect', '-'], { input: `${token}\n` });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /"iss": "https:\/\/issuer.example"/);
  });

  it('inspect refuses something that is not a compact JWS', () => {
    const r = runCli(['token', 'inspect', 'not-a-token']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /three segments/);
  });

  it('verify --jwks accepts a valid token at a pinned time and prints its claims', () => {
    const r = verify(token, ['--at', String(iat + 60)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^VERIFIED\n/);
    assert.match(r.stdout, /"sub": "ci-bot"/);
  });

  it('verify --jwks rejects the same token once expired, naming the reason', () => {
    const r = verify(token, ['--at', String(iat + 600 + 31)]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^stackgate token verify: expired: /);
  });

  it('verify --jwks rejects a wrong audience and a wrong issuer', () => {
    const aud = runCli(['token', 'verify', '--jwks', jwksFile, '--issuer', 'https://issuer.example',
      '--audience', 'someone-else', '--at', String(iat + 60), token]);
    assert.equal(aud.code, 1);
    assert.match(aud.stderr, /wrong_audience/);
    const iss = runCli(['token', 'verify', '--jwks', jwksFile, '--issuer', 'https://other.example',
      '--audience', 'stackgate', '--at', String(iat + 60), token]);
    assert.equal(iss.code, 1);
    assert.match(iss.stderr, /wrong_issuer/);
  });

  it('verify --jwks rejects a token signed by another key with the same kid', () => {
    const forged = signEs256(claims, es256Key('test-key'));
    const r = verify(forged, ['--at', String(iat + 60)]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad_signature/);
  });

  it('verify --jwks refuses an algorithm outside --algorithm', () => {
    const r = verify(token, ['--at', String(iat + 60), '--algorithm', 'RS256']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /disallowed_algorithm/);
  });

  it('verify needs exactly one of --config and --jwks', () => {
    const r = runCli(['token', 'verify', token]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /exactly one of --config FILE or --jwks FILE/);
  });
});
