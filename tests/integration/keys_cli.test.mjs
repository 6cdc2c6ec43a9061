// `stackgate keys rotate|list` on the store a real gateway created: rotation makes a new current
// key and keeps the old ones listed; with a key-encryption key (tokens.key_encryption_key from an
// environment variable) every private key in the SQLite file is sealed, and the wrong
// key-encryption key stops both the CLI (exit 2) and the gateway, naming the key ids only.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { runCli, startGateway, tempDir } from './helpers/gateway.mjs';

const KEK_ENV = 'SG_IT_KEYS_KEK';
const kekId = (bytes) => `kek-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`;

// Starts and stops a gateway in `dir` so that its store exists; returns its log lines.
async function runGatewayOnce(dir, rest = '') {
  const gw = await startGateway({ dir, rest });
  const logs = gw.logs;
  assert.deepEqual(await gw.stop(), { code: 0, signal: null });
  return logs;
}

// The bytes of the SQLite file and its WAL, if any: what an attacker with the files could read.
function databaseBytes(dir) {
  const db = path.join(dir, 'data', 'stackgate.db');
  let text = readFileSync(db).toString('latin1');
  if (existsSync(`${db}-wal`)) text += readFileSync(`${db}-wal`).toString('latin1');
  return text;
}

function sqliteJson(db, sql) {
  const r = spawnSync('sqlite3', ['-json', db, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim() === '' ? [] : JSON.parse(r.stdout);
}

function parseList(stdout) {
  const [header, ...rows] = stdout.trim().split('\n');
  assert.match(header, /^KID\s+ALGORITHM\s+CREATED_AT\s+SEALED\s+CURRENT$/);
  return rows.map((line) => {
    const [kid, algorithm, created_at, sealed, current] = line.trim().split(/\s+/);
    return { kid, algorithm, created_at, sealed, current };
  });
}

describe('stackgate keys without a key-encryption key', () => {
  let tmp;
  let config;
  let logs;
  before(async () => {
    tmp = tempDir();
    config = path.join(tmp.dir, 'stackgate.yaml');
    logs = await runGatewayOnce(tmp.dir);
  });
  after(() => tmp.cleanup());

  it('warns loudly at start that keys are stored unencrypted', () => {
    const warning = logs.find((l) => l.msg === 'signing keys are stored unencrypted in the store; set tokens.key_encryption_key');
    assert.ok(warning, JSON.stringify(logs));
    assert.equal(warning.level, 'warn');
  });

  it('rotates twice; list shows three tokens keys with the newest current', () => {
    const first = runCli(['keys', 'rotate', '--config', config]);
    assert.equal(first.code, 0, first.stderr);
    const m1 = first.stdout.match(/^rotated tokens key: new kid (tokens-[0-9a-f]{16}); 2 keys published\n$/);
    assert.ok(m1, first.stdout);
    assert.match(first.stderr, /signing keys are stored unencrypted/);
    const second = runCli(['keys', 'rotate', '--config', config, '--purpose', 'tokens']);
    assert.equal(second.code, 0, second.stderr);
    const m2 = second.stdout.match(/^rotated tokens key: new kid (tokens-[0-9a-f]{16}); 3 keys published\n$/);
    assert.ok(m2, second.stdout);

    const list = runCli(['keys', 'list', '--config', config]);
    assert.equal(list.code, 0, list.stderr);
    const rows = parseList(list.stdout);
    assert.equal(rows.length, 3);
    assert.equal(rows[0].kid, m2[1]);
    assert.equal(rows[1].kid, m1[1]);
    assert.deepEqual(rows.map((r) => r.current), ['yes', 'no', 'no']);
    for (const r of rows) {
      assert.match(r.kid, /^tokens-[0-9a-f]{16}$/);
      assert.equal(r.algorithm, 'ES256');
      assert.equal(r.sealed, 'no');
      assert.match(r.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    assert.doesNotMatch(list.stdout, /PRIVATE/);
  });

  it('lists the audit key the gateway made', () => {
    const list = runCli(['keys', 'list', '--config', config, '--purpose', 'audit']);
    assert.equal(list.code, 0, list.stderr);
    const rows = parseList(list.stdout);
    assert.equal(rows.length, 1);
    assert.match(rows[0].kid, /^audit-[0-9a-f]{16}$/);
    assert.equal(rows[0].current, 'yes');
  });

  it('refuses an unknown purpose and a missing store with exit 2', () => {
    assert.equal(runCli(['keys', 'rotate', '--config', config, '--purpose', 'other']).code, 2);
    assert.equal(runCli(['keys', 'list']).code, 2);
    const missing = runCli(['keys', 'rotate', '--config', path.join(tmp.dir, 'nope.yaml')]);
    assert.equal(missing.code, 2);
  });
});

describe('stackgate keys with a key-encryption key from the environment', () => {
  let tmp;
  let config;
  const kek = randomBytes(32);
  const env = { ...process.env, [KEK_ENV]: kek.toString('base64') };
  const rest = `tokens: { key_encryption_key: { env: ${KEK_ENV} } }\n`;
  before(async () => {
    tmp = tempDir();
    config = path.join(tmp.dir, 'stackgate.yaml');
    process.env[KEK_ENV] = env[KEK_ENV];
    try {
      const logs = await runGatewayOnce(tmp.dir, rest);
      const sealed = logs.find((l) => l.msg === 'signing keys are sealed');
      assert.ok(sealed, JSON.stringify(logs));
      assert.equal(sealed.key_encryption_key, kekId(kek));
      assert.ok(!logs.some((l) => /unencrypted/.test(l.msg)));
    } finally {
      delete process.env[KEK_ENV];
    }
  });
  after(() => tmp.cleanup());

  it('seals every new private key: the database holds no PEM', () => {
    for (let i = 0; i < 2; i++) {
      const r = runCli(['keys', 'rotate', '--config', config], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
    }
    const audit = runCli(['keys', 'rotate', '--config', config, '--purpose', 'audit'], { env });
    assert.equal(audit.code, 0, audit.stderr);
    assert.match(audit.stdout, /^rotated audit key: new kid audit-[0-9a-f]{16}; 2 keys published\n$/);

    const text = databaseBytes(tmp.dir);
    assert.ok(!text.includes('PRIVATE KEY'), 'a private key is stored in plain text');
    for (const row of sqliteJson(path.join(tmp.dir, 'data', 'stackgate.db'),
      'SELECT kid, purpose, algorithm, private_pem FROM signing_keys')) {
      const parts = row.private_pem.split('.');
      assert.equal(parts.length, 5);
      assert.equal(parts[1], '');
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
      assert.deepEqual(header, { alg: 'dir', enc: 'A256GCM', kid: kekId(kek), sg_key: `${row.purpose}/${row.kid}/${row.algorithm}` });
    }
    const rows = parseList(runCli(['keys', 'list', '--config', config]).stdout);
    assert.equal(rows.length, 3);
    assert.deepEqual(rows.map((r) => r.sealed), ['yes', 'yes', 'yes']);
  });

  it('listing needs no key-encryption key', () => {
    const list = runCli(['keys', 'list', '--config', config, '--purpose', 'audit']);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(parseList(list.stdout).length, 2);
  });

  it('the wrong key-encryption key is exit 2 naming both ids, never the secret', () => {
    const wrong = randomBytes(32);
    const wrongText = wrong.toString('hex');
    const r = runCli(['keys', 'rotate', '--config', config], { env: { ...process.env, [KEK_ENV]: wrongText } });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`keys were encrypted with key-encryption key ${kekId(kek)}, not ${kekId(wrong)}`));
    assert.ok(!r.stderr.includes(wrongText));
    assert.ok(!r.stderr.includes(env[KEK_ENV]));
  });

  it('a missing or malformed key-encryption key is exit 2 saying how to make one', () => {
    const unset = runCli(['keys', 'rotate', '--config', config], { env: { ...process.env, [KEK_ENV]: '' } });
    assert.equal(unset.code, 2);
    assert.match(unset.stderr, new RegExp(`tokens.key_encryption_key \\(env:${KEK_ENV}\\)`));
    const bad = runCli(['keys', 'rotate', '--config', config], { env: { ...process.env, [KEK_ENV]: 'hunter2-not-a-key' } });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /openssl rand -base64 32/);
    assert.ok(!bad.stderr.includes('hunter2'));
  });

  it('the gateway refuses to start with the wrong key-encryption key', () => {
    const wrong = randomBytes(32);
    const r = runCli(['serve', '--config', config], { env: { ...process.env, [KEK_ENV]: wrong.toString('base64') } });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`key-encryption key ${kekId(kek)}, not ${kekId(wrong)}`));
  });
});
