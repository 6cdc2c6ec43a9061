// Audit, black-box: the real gateway records every authentication failure, authorization decision
// and policy reload; an auditor reads them back through GET /v1/audit (filters, pagination) and
// GET /v1/audit/verify; each stored event's hash is re-computed here, independently, from its
// canonical JSON. Then the guarantees: with the store locked by another process, requests get 503
// and nothing is allowed without its record; killed with SIGKILL under load, the gateway restarts
// with a chain that verifies and holds every event whose request was answered.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { call, issuersYaml } from './helpers/auth.mjs';
import { startGateway, tempDir } from './helpers/gateway.mjs';
import { es256Key, signEs256 } from './helpers/jws.mjs';

const ISSUER = 'https://idp.example.test';

const POLICY = `roles:
  - name: reader
    rules:
      - allow: [read]
        stacks: ["acme/*"]
  - name: deployer
    rules:
      - allow: [update]
        stacks: ["acme/payments/dev"]
  - name: auditor
    rules:
      - allow: [audit]
        stacks: ["*"]
bindings:
  - { roles: [reader], when: { issuer: corp } }
  - { roles: [deployer], when: { claim.groups: deployers } }
  - { roles: [auditor], when: { claim.groups: auditors } }
`;

// A gateway in `dir` trusting tokens signed with `key` (a static JWKS), with two stacks.
function setup(dir, key, audit = '{ checkpoint_every: 5 }') {
  writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify({ keys: [key.jwk] }));
  writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
  return `policy: ./policy.yaml
audit: ${audit}
${issuersYaml([{
    name: 'corp', kind: 'jwks', issuer: ISSUER, jwks_file: './jwks.json', audiences: ['stackgate'],
    algorithms: ['ES256'], claims: { groups: 'groups', email: 'email' },
  }])}projects:
  - org: acme
    name: payments
    dir: .
    stacks:
      - { name: dev }
      - { name: prod }
`;
}

function mint(key, sub, groups = [], { exp } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return signEs256({
    iss: ISSUER, aud: 'stackgate', sub, groups, email: `${sub}@example.test`, iat: now - 5,
    exp: exp ?? now + 600,
  }, key);
}


// Every stored event, walking the cursor a page of `limit` at a time.
async function allEvents(gw, token, query = '', limit = 7) {
  const events = [];
  let cursor = '';
  for (;;) {
    const sep = query ? '&' : '';
    const res = await call(gw, 'GET', `/v1/audit?${query}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token });
    assert.equal(res.status, 200, res.body);
    events.push(...res.json.events);
    if (!res.json.next_cursor) return events;
    cursor = res.json.next_cursor;
  }
}

// RFC 8785 for what events hold (objects, arrays, strings, integers, booleans): sorted keys, no
// whitespace; JSON.stringify already writes strings and integers the way JCS does.
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function expectedHash(event) {
  const { hash, ...rest } = event;
  return createHash('sha256').update(event.prev_hash + canonical(rest)).digest('hex');
}

describe('audit: what the gateway records and how auditors read it', () => {
  const tmp = tempDir();
  const key = es256Key('corp-1');
  let gw;
  let alice;
  let auditor;

  before(async () => {
    gw = await startGateway({ dir: tmp.dir, rest: setup(tmp.dir, key) });
    alice = mint(key, 'alice', ['deployers']);
    auditor = mint(key, 'audrey', ['auditors']);
  });
  after(async () => {
    await gw?.stop();
    tmp.cleanup();
  });

  test('allow and deny decisions are recorded with the actor, stack, reasons and request', async () => {
    const allow = await call(gw, 'POST', '/v1/authorize', {
      token: alice, body: { action: 'update', stack: 'acme/payments/dev' },
      headers: { 'x-request-id': 'it-allow-1', 'user-agent': 'audit-test/1.0' },
    });
    assert.equal(allow.json.decision, 'allow', allow.body);
    const deny = await call(gw, 'POST', '/v1/authorize', {
      token: alice, body: { action: 'update', stack: 'acme/payments/prod' },
      headers: { 'x-request-id': 'it-deny-1', 'user-agent': 'audit-test/1.0' },
    });
    assert.equal(deny.json.decision, 'deny', deny.body);

    const events = await allEvents(gw, auditor, 'type=authz.decision&actor=alice');
    const mine = events.filter((e) => e.request.id.startsWith('it-'));
    assert.equal(mine.length, 2);
    const [a, d] = mine;
    assert.equal(d.seq, a.seq + 1);
    assert.equal(d.prev_hash, a.hash);
    for (const e of mine) {
      assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(e.hash, expectedHash(e));
    }
    const { seq: _s, time: _t, hash: _h, prev_hash: _p, ...allowRest } = a;
    assert.deepEqual(allowRest, {
      type: 'authz.decision',
      actor: { subject: 'alice', issuer: 'corp', kind: 'user', email: 'alice@example.test' },
      resource: { stack: 'acme/payments/dev' },
      action: 'update',
      decision: 'allow',
      reason: 'binding 1 (policy.yaml:15) gives [reader]; binding 2 (policy.yaml:16) gives [deployer]; '
        + 'role deployer, rule 1 (policy.yaml:8) allows update on acme/payments/dev',
      request: { id: 'it-allow-1', ip: '127.0.0.1', user_agent: 'audit-test/1.0' },
      details: { roles: ['reader', 'deployer'] },
    });
    assert.equal(d.decision, 'deny');
    assert.equal(d.resource.stack, 'acme/payments/prod');
    assert.equal(d.reason, 'binding 1 (policy.yaml:15) gives [reader]; binding 2 (policy.yaml:16) gives [deployer]; '
      + 'no rule of roles [reader, deployer] allows update on acme/payments/prod');
  });

  test('reading one stack is a recorded read decision', async () => {
    const res = await call(gw, 'GET', '/v1/stacks/acme/payments/prod', { token: alice, headers: { 'x-request-id': 'it-read-1' } });
    assert.equal(res.status, 200, res.body);
    const [e] = (await allEvents(gw, auditor, 'actor=alice')).filter((x) => x.request.id === 'it-read-1');
    assert.equal(e.action, 'read');
    assert.equal(e.decision, 'allow');
    assert.deepEqual(e.resource, { stack: 'acme/payments/prod' });
  });

  test('a failed authentication is recorded with its reason code, never with the token', async () => {
    const expired = mint(key, 'mallory', [], { exp: Math.floor(Date.now() / 1000) - 3600 });
    const res = await call(gw, 'GET', '/v1/whoami', { token: expired, headers: { 'x-request-id': 'it-expired-1' } });
    assert.equal(res.status, 401);
    const none = await call(gw, 'GET', '/v1/whoami', { headers: { 'x-request-id': 'it-missing-1' } });
    assert.equal(none.status, 401);

    const failures = await allEvents(gw, auditor, 'type=auth.failed');
    const e = failures.find((x) => x.request.id === 'it-expired-1');
    assert.ok(e, JSON.stringify(failures));
    assert.equal(e.reason, 'expired');
    assert.equal(e.actor, undefined);
    assert.equal(e.details.path, '/v1/whoami');
    const [, payload, signature] = expired.split('.');
    const text = JSON.stringify(failures);
    assert.ok(!text.includes(signature) && !text.includes(payload), 'the token must never be recorded');
    assert.equal(failures.find((x) => x.request.id === 'it-missing-1').reason, 'unauthenticated');
  });

  test('the audit log is for holders of `audit`; a refused reader is recorded too', async () => {
    const res = await call(gw, 'GET', '/v1/audit', { token: alice, headers: { 'x-request-id': 'it-snoop-1' } });
    assert.equal(res.status, 403);
    assert.deepEqual(res.json, { error: { code: 'forbidden', message: 'not allowed to read the audit log' } });
    const verify = await call(gw, 'GET', '/v1/audit/verify', { token: alice });
    assert.equal(verify.status, 403);
    const noToken = await call(gw, 'GET', '/v1/audit');
    assert.equal(noToken.status, 401);

    const [e] = (await allEvents(gw, auditor, 'type=authz.decision&decision=deny&actor=alice'))
      .filter((x) => x.request.id === 'it-snoop-1');
    assert.equal(e.action, 'audit');
    assert.equal(e.resource, undefined);
    assert.equal(e.reason, 'binding 1 (policy.yaml:15) gives [reader]; binding 2 (policy.yaml:16) gives [deployer]; '
      + 'no rule of roles [reader, deployer] allows audit on all stacks');
  });

  test('pages walk the whole log in seq order; every hash re-computes and links', async () => {
    const events = await allEvents(gw, auditor, '', 3);
    assert.ok(events.length >= 10, `${events.length} events`);
    let prev = '0'.repeat(64);
    events.forEach((e, i) => {
      assert.equal(e.seq, i + 1);
      assert.equal(e.prev_hash, prev);
      assert.equal(e.hash, expectedHash(e));
      prev = e.hash;
    });
    // Exactly `limit` events leave a cursor; the page after the last event is empty.
    const last = events.at(-1).seq;
    const tail = await call(gw, 'GET', `/v1/audit?cursor=${last}`, { token: auditor });
    assert.deepEqual(tail.json.events.filter((e) => e.seq <= last), []);
  });

  test('filters: type, decision, stack, actor, since and until', async () => {
    const denies = await allEvents(gw, auditor, 'decision=deny');
    assert.ok(denies.length >= 2);
    assert.ok(denies.every((e) => e.decision === 'deny'));
    const prod = await allEvents(gw, auditor, 'stack=acme/payments/prod');
    assert.ok(prod.length >= 2 && prod.every((e) => e.resource.stack === 'acme/payments/prod'));
    const all = await allEvents(gw, auditor);
    const pivot = all[3];
    const since = await allEvents(gw, auditor, `since=${pivot.time}`);
    assert.ok(since.every((e) => e.time >= pivot.time));
    assert.ok(since.some((e) => e.seq === pivot.seq));
    const until = await allEvents(gw, auditor, `until=${pivot.time}`);
    assert.ok(until.every((e) => e.time < pivot.time));
    assert.equal(until.length + since.length >= all.length, true);
  });

  test('bad queries are 400 naming the parameter', async () => {
    for (const [q, message] of [
      ['limit=0', 'limit: expected an integer from 1 to 1000'],
      ['limit=1001', 'limit: expected an integer from 1 to 1000'],
      ['cursor=-1', 'cursor: expected an integer from 0 to 9223372036854775807'],
      ['since=yesterday', null],
      ['actr=alice', null],
    ]) {
      const res = await call(gw, 'GET', `/v1/audit?${q}`, { token: auditor });
      assert.equal(res.status, 400, q);
      assert.equal(res.json.error.code, 'invalid_argument');
      if (message) assert.equal(res.json.error.message, message);
    }
  });

  test('verify replays the chain and the checkpoints', async () => {
    const res = await call(gw, 'GET', '/v1/audit/verify', { token: auditor, headers: { 'x-request-id': 'it-verify-1' } });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json.ok, true);
    // The verify request's own event is recorded after it ran: it follows the head it reported.
    const own = (await allEvents(gw, auditor, 'actor=audrey')).find((e) => e.request.id === 'it-verify-1');
    assert.equal(own.action, 'audit');
    assert.equal(res.json.events, own.seq - 1);
    assert.equal(res.json.head.seq, own.seq - 1);
    assert.equal(res.json.head.hash, own.prev_hash);
    // A checkpoint every 5 events (the last ones may not have theirs yet).
    assert.ok(res.json.checkpoints >= Math.floor(res.json.events / 5) - 1, res.body);
    assert.equal(res.json.fault, undefined);
  });

  test('a policy reload, good or refused, is recorded', async () => {
    writeFileSync(path.join(tmp.dir, 'policy.yaml'), 'roles: [');
    gw.proc.kill('SIGHUP');
    await gw.waitForLog((l) => l.msg === 'policy reload refused; the previous policy stays in force');
    writeFileSync(path.join(tmp.dir, 'policy.yaml'), POLICY);
    gw.proc.kill('SIGHUP');
    await gw.waitForLog((l) => l.msg === 'policy reloaded');
    let reloads = [];
    for (let i = 0; i < 50 && reloads.length < 2; i++) {
      reloads = await allEvents(gw, auditor, 'type=policy.reloaded');
    }
    assert.equal(reloads.length, 2);
    assert.equal(reloads[0].details.outcome, 'refused');
    assert.equal(reloads[0].details.trigger, 'SIGHUP');
    assert.match(reloads[0].reason, /^\/.*\/policy\.yaml:1:1: invalid YAML/);
    assert.equal(reloads[1].details.outcome, 'loaded');
    assert.equal(reloads[1].details.generation, 2);
    assert.equal(reloads[1].actor, undefined);
  });
});

// A process holding SQLite's write lock on `db` until release() is called.
async function lockDatabase(db) {
  const proc = spawn('sqlite3', [db], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const locked = new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => { out += d; if (out.includes('locked')) resolve(); });
    proc.on('exit', (code) => reject(new Error(`sqlite3 exited ${code}`)));
  });
  proc.stdin.write("BEGIN EXCLUSIVE;\nSELECT 'locked';\n");
  await locked;
  return {
    release: async () => {
      const exited = new Promise((resolve) => proc.on('exit', resolve));
      proc.stdin.end('COMMIT;\n');
      await exited;
    },
  };
}

describe('audit: fail closed', () => {
  const tmp = tempDir();
  const key = es256Key('corp-1');
  let gw;

  before(async () => {
    // A short busy timeout: a locked store fails the commit after 100 ms rather than 5 s.
    gw = await startGateway({
      dir: tmp.dir,
      rest: setup(tmp.dir, key),
      store: '{ url: "sqlite://./data/stackgate.db", busy_timeout: 100ms }',
    });
  });
  after(async () => {
    await gw?.stop();
    tmp.cleanup();
  });

  test('while the store cannot be written, requests get 503 and nothing is allowed unrecorded', async () => {
    const alice = mint(key, 'alice', ['deployers']);
    const auditor = mint(key, 'audrey', ['auditors']);
    const body = { action: 'update', stack: 'acme/payments/dev' };
    const before = await call(gw, 'POST', '/v1/authorize', { token: alice, body, headers: { 'x-request-id': 'fc-before' } });
    assert.equal(before.json.decision, 'allow');

    const lock = await lockDatabase(path.join(tmp.dir, 'data', 'stackgate.db'));
    let refused;
    try {
      refused = await call(gw, 'POST', '/v1/authorize', { token: alice, body, headers: { 'x-request-id': 'fc-during' } });
      const unauthenticated = await call(gw, 'GET', '/v1/whoami', { headers: { 'x-request-id': 'fc-during-401' } });
      assert.equal(unauthenticated.status, 503);
      const ready = await call(gw, 'GET', '/readyz');
      assert.equal(ready.status, 503);
      assert.deepEqual(ready.json.checks.audit, { ok: false, error: 'store_unavailable' });
    } finally {
      await lock.release();
    }
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['retry-after'], '1');
    assert.deepEqual(refused.json, {
      error: { code: 'unavailable', message: 'the audit log cannot record this request now; nothing was done' },
    });
    assert.ok(!refused.body.includes('allow'));

    const afterwards = await call(gw, 'POST', '/v1/authorize', { token: alice, body, headers: { 'x-request-id': 'fc-after' } });
    assert.equal(afterwards.json.decision, 'allow', afterwards.body);
    const ids = (await allEvents(gw, auditor)).map((e) => e.request?.id);
    assert.ok(ids.includes('fc-before') && ids.includes('fc-after'));
    assert.ok(!ids.includes('fc-during') && !ids.includes('fc-during-401'));
    const verify = await call(gw, 'GET', '/v1/audit/verify', { token: auditor });
    assert.equal(verify.json.ok, true, verify.body);
    const metrics = (await call(gw, 'GET', '/metrics')).body;
    assert.match(metrics, /^stackgate_audit_events_failed_total 2$/m);
    assert.match(metrics, /^stackgate_audit_healthy 1$/m);
  });
});

describe('audit: crash under load', () => {
  const tmp = tempDir();
  const key = es256Key('corp-1');

  after(() => tmp.cleanup());

  test('after SIGKILL mid-load, the chain verifies and every answered request is recorded', async () => {
    const config = setup(tmp.dir, key, '{ checkpoint_every: 50 }');
    let gw = await startGateway({ dir: tmp.dir, rest: config });
    const alice = mint(key, 'alice', ['deployers']);
    const answered = [];
    let killed = false;
    let next = 0;
    const worker = async () => {
      while (!killed) {
        const id = `crash-${next++}`;
        try {
          const res = await call(gw, 'POST', '/v1/authorize', {
            token: alice, body: { action: 'update', stack: 'acme/payments/dev' }, headers: { 'x-request-id': id },
          });
          if (res.status === 200) answered.push(id);
        } catch { /* the connection died with the gateway */ }
        if (answered.length >= 400 && !killed) {
          killed = true;
          gw.proc.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const exit = await gw.exited;
    assert.equal(exit.signal, 'SIGKILL');

    gw = await startGateway({ dir: tmp.dir, rest: config });
    try {
      const auditor = mint(key, 'audrey', ['auditors']);
      const verify = await call(gw, 'GET', '/v1/audit/verify', { token: auditor });
      assert.equal(verify.json.ok, true, verify.body);
      const recorded = new Set((await allEvents(gw, auditor, 'type=authz.decision', 1000)).map((e) => e.request.id));
      const missing = answered.filter((id) => !recorded.has(id));
      assert.deepEqual(missing, []);
      assert.ok(answered.length >= 400);
    } finally {
      await gw.stop();
    }
  });
});
