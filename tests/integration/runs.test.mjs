// Runs, black-box: the real gateway runs the Pulumi stand-in (tests/pulumi-standin/pulumi, which
// follows the real CLI's flags, exit codes, event log and SIGINT handling) for verified principals.
// Every lifecycle path over HTTP (success, failure, approval, self-approval refused, rejection,
// cancel, timeout, missing binary, locked stack), the scheduler's rules, the child's environment,
// live events over Server-Sent Events, and recovery after kill -9.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { call, issuersYaml, waitFor } from './helpers/auth.mjs';
import { PULUMI_STANDIN as STANDIN, freePort, startGateway, tempDir } from './helpers/gateway.mjs';
import { startPulumiCloud } from './peers/pulumi_cloud.mjs';
import { es256Key, signEs256 } from './helpers/jws.mjs';

const ISSUER = 'https://idp.example.test';

const POLICY = `roles:
  - name: dev
    rules:
      - allow: [read, preview, update, refresh, destroy, cancel]
        stacks: ["acme/payments/dev", "acme/payments/qa", "acme/web/dev"]
      - allow: [read, preview]
        stacks: ["acme/payments/prod"]
      - allow: [update]
        stacks: ["acme/payments/prod"]
        approval: { approvers: [approver], count: 1 }
  - name: approver
    rules:
      - allow: [read, approve]
        stacks: ["acme/*"]
  - name: auditor
    rules:
      - allow: [audit]
        stacks: ["*"]
bindings:
  - { roles: [dev], when: { claim.groups: devs } }
  - { roles: [approver], when: { claim.groups: approvers } }
  - { roles: [auditor], when: { claim.groups: auditors } }
`;

function mint(key, sub, groups = []) {
  const now = Math.floor(Date.now() / 1000);
  return signEs256({
    iss: ISSUER, aud: 'stackgate', sub, groups, email: `${sub}@example.test`, iat: now - 5,
    exp: now + 600,
  }, key);
}

// The configuration of a gateway in `dir` running `command` for two projects whose folders hold
// the stand-in's scenario files.
function setup(dir, key, { command = STANDIN, pulumi = '', credentials = '' } = {}) {
  writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify({ keys: [key.jwk] }));
  writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
  for (const p of ['payments', 'web']) mkdirSync(path.join(dir, p), { recursive: true });
  return `policy: ./policy.yaml
${issuersYaml([{
    name: 'corp', kind: 'jwks', issuer: ISSUER, jwks_file: './jwks.json', audiences: ['stackgate'],
    algorithms: ['ES256'], claims: { groups: 'groups', email: 'email' },
  }])}pulumi: { command: ${JSON.stringify(command)}, max_concurrent_runs: 3, cancel_grace: 2s, event_heartbeat: 300ms, runs_dir: ./runs${pulumi} }
projects:
  - org: acme
    name: payments
    dir: ./payments
    stacks: [ { name: dev }, { name: qa }, { name: prod } ]
${credentials}
  - org: acme
    name: web
    dir: ./web
    stacks: [ { name: dev } ]
`;
}

function scenario(dir, project, value) {
  writeFileSync(path.join(dir, project, 'standin.json'), JSON.stringify(value));
}

function records(dir, project) {
  const file = path.join(dir, project, '.standin-record.json');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}


async function createRun(gw, token, stack, operation, message) {
  const res = await call(gw, 'POST', `/v1/stacks/${stack}/runs`, {
    token, body: message === undefined ? { operation } : { operation, message },
  });
  assert.equal(res.status, 202, res.body);
  assert.equal(res.headers.location, `/v1/runs/${res.json.id}`);
  return res.json;
}

async function waitStatus(gw, token, id, statuses, timeoutMs = 60_000) {
  const want = Array.isArray(statuses) ? statuses : [statuses];
  let run;
  await waitFor(async () => {
    const res = await call(gw, 'GET', `/v1/runs/${id}`, { token });
    run = res.json;
    return want.includes(run?.status);
  }, { timeoutMs, intervalMs: 50, what: `run ${id} ${want.join('|')} (last: ${run?.status})` });
  return run;
}

// Reads an SSE stream until `until(events)` holds or it ends; returns the parsed events
// ({id, event, data}) and how many heartbeat comments came.
function readEvents(gw, token, id, { lastEventId, after, until = () => false, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${token}` };
    if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
    const q = after === undefined ? '' : `?after=${after}`;
    const req = http.get(`${gw.url}/v1/runs/${id}/events${q}`, { headers, agent: false }, (res) => {
      const out = { status: res.statusCode, headers: res.headers, events: [], heartbeats: 0 };
      let buf = '';
      const done = () => { req.destroy(); resolve(out); };
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buf += chunk;
        let sep;
        while ((sep = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, sep);
          buf = buf.slice(sep + 2);
          if (block.startsWith(':')) { out.heartbeats += 1; continue; }
          const ev = {};
          for (const line of block.split('\n')) {
            const i = line.indexOf(': ');
            ev[line.slice(0, i)] = line.slice(i + 2);
          }
          ev.data = JSON.parse(ev.data);
          out.events.push(ev);
        }
        if (until(out)) done();
      });
      res.on('end', () => resolve(out));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('SSE stream: timed out')));
    req.on('error', (e) => (e.code === 'ECONNRESET' ? null : reject(e)));
  });
}

async function auditOf(gw, token, runId) {
  const res = await call(gw, 'GET', '/v1/audit?limit=1000', { token });
  assert.equal(res.status, 200, res.body);
  return res.json.events.filter((e) => e.run_id === runId);
}

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

describe('runs: the lifecycle over HTTP with the Pulumi stand-in', () => {
  const tmp = tempDir();
  const key = es256Key('corp-1');
  let gw;
  let jane; let joe; let ada; let audrey; let stranger;

  before(async () => {
    gw = await startGateway({
      dir: tmp.dir, rest: setup(tmp.dir, key),
      env: { GATEWAY_SECRET_TOKEN: 'must-not-leak', AWS_SECRET_ACCESS_KEY: 'nor-this' },
    });
    jane = mint(key, 'jane', ['devs']);
    joe = mint(key, 'joe', ['devs']);
    ada = mint(key, 'ada', ['approvers']);
    audrey = mint(key, 'audrey', ['auditors']);
    stranger = mint(key, 'stranger', []);
  });
  after(async () => {
    await gw?.stop();
    tmp.cleanup();
  });

  test('a preview runs, streams its engine events and ends with its summary and trail', async () => {
    scenario(tmp.dir, 'web', { resources: [{ type: 'aws:s3/bucket:Bucket', name: 'site' }] });
    const run = await createRun(gw, jane, 'acme/web/dev', 'preview', 'try it');
    assert.equal(run.status, 'queued');
    assert.equal(run.operation, 'preview');
    assert.equal(run.stack, 'acme/web/dev');
    assert.equal(run.message, 'try it');
    assert.deepEqual(run.requester, { subject: 'jane', issuer: 'corp', kind: 'user', email: 'jane@example.test' });
    assert.equal(run.events_url, `/v1/runs/${run.id}/events`);
    const stream = await readEvents(gw, jane, run.id);
    assert.equal(stream.status, 200);
    assert.match(stream.headers['content-type'], /^text\/event-stream/);
    const engine = stream.events.filter((e) => e.event === 'engine');
    assert.deepEqual(engine.map((e) => Number(e.id)), engine.map((_, i) => i + 1));
    const kinds = engine.map((e) => Object.keys(e.data).find((k) => k.endsWith('Event')));
    assert.equal(kinds[0], 'preludeEvent');
    assert.ok(kinds.includes('resourcePreEvent'));
    assert.deepEqual(kinds.slice(-2), ['summaryEvent', 'cancelEvent']);
    const end = stream.events.at(-1);
    assert.equal(end.event, 'end');
    assert.deepEqual(end.data, { status: 'succeeded', reason: 'Pulumi finished successfully', exit_code: 0 });

    const done = await waitStatus(gw, jane, run.id, 'succeeded');
    assert.equal(done.exit_code, 0);
    assert.equal(done.summary.result, 'succeeded');
    assert.equal(done.summary.is_preview, true);
    assert.deepEqual(done.summary.resource_changes, { create: 1 });
    assert.ok(done.started_at <= done.finished_at);

    const [rec] = records(tmp.dir, 'web').slice(-1);
    assert.deepEqual(rec.argv.slice(0, 1), ['preview']);
    assert.ok(!rec.argv.includes('--yes'), 'preview takes no --yes');
    assert.deepEqual(rec.argv.slice(1, 3), ['--stack', 'acme/web/dev']);

    const trail = await auditOf(gw, audrey, run.id);
    assert.deepEqual(trail.map((e) => e.type), ['run.created', 'run.started', 'run.finished']);
    assert.equal(trail[0].actor.subject, 'jane');
    assert.equal(trail[0].action, 'preview');
    assert.equal(trail[2].details.status, 'succeeded');
    assert.deepEqual(trail[2].details.summary.resource_changes, { create: 1 });
  });

  test('the child gets exactly its environment: a fresh PULUMI_HOME and nothing of the gateway', async () => {
    scenario(tmp.dir, 'payments', {});
    const a = await createRun(gw, jane, 'acme/payments/dev', 'up', 'first');
    await waitStatus(gw, jane, a.id, 'succeeded');
    const b = await createRun(gw, jane, 'acme/payments/qa', 'refresh');
    await waitStatus(gw, jane, b.id, 'succeeded');
    const recs = records(tmp.dir, 'payments').slice(-2);
    for (const [rec, run] of [[recs[0], a], [recs[1], b]]) {
      assert.equal(rec.env.GATEWAY_SECRET_TOKEN, undefined);
      assert.equal(rec.env.AWS_SECRET_ACCESS_KEY, undefined);
      assert.equal(rec.env.PULUMI_CI_SYSTEM, 'stackgate');
      assert.equal(rec.env.PULUMI_CI_BUILD_ID, run.id);
      assert.equal(rec.env.PULUMI_DEBUG_COMMANDS, 'true');
      assert.equal(rec.pulumi_home.is_0700, true);
      assert.equal(rec.env.PULUMI_HOME, rec.pulumi_home.path);
      assert.ok(rec.pulumi_home.path.startsWith(path.join(tmp.dir, 'runs', run.id)), rec.pulumi_home.path);
      assert.equal(existsSync(rec.pulumi_home.path), false, 'PULUMI_HOME is removed afterwards');
      for (const name of Object.keys(rec.env)) {
        assert.ok(!/SECRET/.test(name), `unexpected ${name}`);
      }
    }
    assert.notEqual(recs[0].pulumi_home.path, recs[1].pulumi_home.path);
    assert.deepEqual(recs[0].argv, ['up', '--stack', 'acme/payments/dev', '--cwd', path.join(tmp.dir, 'payments'),
      '--non-interactive', '--yes', '--color', 'never', '--event-log', recs[0].argv[recs[0].argv.indexOf('--event-log') + 1],
      '--message=first']);
  });

  test('a failing resource fails the run with the exit code and the last error', async () => {
    scenario(tmp.dir, 'payments', { resources: [{ type: 'aws:rds/instance:Instance', name: 'db', fail: true }] });
    const run = await createRun(gw, jane, 'acme/payments/dev', 'up');
    const done = await waitStatus(gw, jane, run.id, 'failed');
    assert.equal(done.exit_code, 4);
    assert.equal(done.summary.result, 'failed');
    assert.equal(done.summary.failed_steps, 1);
    assert.ok(done.summary.last_error.length > 0);
  });

  test('a locked stack is a clear failure', async () => {
    scenario(tmp.dir, 'payments', { conflict: true });
    const run = await createRun(gw, jane, 'acme/payments/dev', 'up');
    const done = await waitStatus(gw, jane, run.id, 'failed');
    assert.equal(done.exit_code, 1);
    assert.match(done.reason, /^stack is locked/);
  });

  test('approval: the requester cannot approve, an approver can, and the run then runs', async () => {
    scenario(tmp.dir, 'payments', {});
    const run = await createRun(gw, jane, 'acme/payments/prod', 'up');
    assert.equal(run.status, 'awaiting_approval');
    assert.deepEqual(run.approval.needs.map((n) => [n.approvers, n.count]), [[['approver'], 1]]);
    const self = await call(gw, 'POST', `/v1/runs/${run.id}/approve`, { token: jane });
    assert.equal(self.status, 403);
    assert.deepEqual(self.json.error, { code: 'forbidden', message: 'a requester cannot approve their own run' });
    const dev = await call(gw, 'POST', `/v1/runs/${run.id}/approve`, { token: joe });
    assert.equal(dev.status, 403);
    const ok = await call(gw, 'POST', `/v1/runs/${run.id}/approve`, { token: ada });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(ok.json.status, 'queued');
    assert.equal(ok.json.approval.approvals[0].subject, 'ada');
    const again = await call(gw, 'POST', `/v1/runs/${run.id}/approve`, { token: ada });
    assert.equal(again.status, 409);
    await waitStatus(gw, jane, run.id, 'succeeded');
    const trail = await auditOf(gw, audrey, run.id);
    assert.deepEqual(trail.map((e) => e.type), ['run.created', 'run.approved', 'run.started', 'run.finished']);
    assert.equal(trail[0].decision, 'approval_required');
    assert.equal(trail[1].actor.subject, 'ada');
  });

  test('rejection ends a run awaiting approval', async () => {
    const run = await createRun(gw, jane, 'acme/payments/prod', 'up');
    const res = await call(gw, 'POST', `/v1/runs/${run.id}/reject`, { token: ada, body: { reason: 'freeze' } });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json.status, 'rejected');
    assert.equal(res.json.reason, 'rejected by ada: freeze');
    const late = await call(gw, 'POST', `/v1/runs/${run.id}/approve`, { token: ada });
    assert.equal(late.status, 409);
    const stream = await readEvents(gw, jane, run.id);
    assert.deepEqual(stream.events, [{ event: 'end', data: { status: 'rejected', reason: 'rejected by ada: freeze', exit_code: null } }]);
  });

  test('cancel: a running run stops through SIGINT and ends cancelled; a queued one at once', async () => {
    scenario(tmp.dir, 'payments', {
      resources: [1, 2, 3, 4, 5, 6].map((i) => ({ type: 'random:index:RandomPet', name: `p${i}` })),
      sleep_ms_per_step: 400,
    });
    const running = await createRun(gw, jane, 'acme/payments/dev', 'up');
    const queued = await createRun(gw, jane, 'acme/payments/dev', 'up');
    // Pulumi is under way (it has written events) before it is asked to stop.
    await readEvents(gw, jane, running.id, { until: (s) => s.events.length >= 2 });
    assert.equal((await call(gw, 'GET', `/v1/runs/${queued.id}`, { token: jane })).json.status, 'queued');
    const q = await call(gw, 'POST', `/v1/runs/${queued.id}/cancel`, { token: jane });
    assert.equal(q.status, 200, q.body);
    assert.equal(q.json.status, 'cancelled');
    const r = await call(gw, 'POST', `/v1/runs/${running.id}/cancel`, { token: joe });
    assert.equal(r.status, 202, r.body);
    assert.equal(r.json.cancel_requested_by, 'joe');
    const done = await waitStatus(gw, jane, running.id, 'cancelled');
    assert.equal(done.exit_code, 8, JSON.stringify(done));
    assert.equal(done.reason, 'cancelled by joe');
    assert.equal(done.summary.result, 'cancelled');
    const twice = await call(gw, 'POST', `/v1/runs/${running.id}/cancel`, { token: jane });
    assert.equal(twice.status, 409);
    const nope = await call(gw, 'POST', `/v1/runs/${running.id}/cancel`, { token: ada });
    assert.equal(nope.status, 403);
  });

  test('two updates of one stack serialise, previews run side by side, the global limit holds', async () => {
    scenario(tmp.dir, 'payments', { resources: [{ type: 'random:index:RandomPet', name: 'p' }], sleep_ms_per_step: 1500 });
    const up1 = await createRun(gw, jane, 'acme/payments/dev', 'up');
    const up2 = await createRun(gw, jane, 'acme/payments/dev', 'up');
    const p1 = await createRun(gw, jane, 'acme/payments/qa', 'preview');
    const p2 = await createRun(gw, jane, 'acme/payments/qa', 'preview');
    const p3 = await createRun(gw, jane, 'acme/payments/qa', 'preview');
    // Three may run at once: up1, p1 and p2; up2 waits for up1, p3 for a free slot.
    await waitStatus(gw, jane, up1.id, 'running');
    await waitStatus(gw, jane, p1.id, 'running');
    await waitStatus(gw, jane, p2.id, 'running');
    const mid = await call(gw, 'GET', '/v1/runs?status=running,queued&limit=10', { token: jane });
    const byId = Object.fromEntries(mid.json.runs.map((r) => [r.id, r.status]));
    assert.equal(byId[up2.id], 'queued');
    assert.equal(byId[p3.id], 'queued');
    const runs = await Promise.all([up1, up2, p1, p2, p3].map((r) => waitStatus(gw, jane, r.id, 'succeeded')));
    const [d1, d2] = runs;
    assert.ok(d2.started_at >= d1.finished_at, `${d2.started_at} < ${d1.finished_at}`);
  });

  test('a reader lists and reads runs; a stranger sees none of them', async () => {
    const list = await call(gw, 'GET', '/v1/runs?stack=acme/web/dev&limit=1', { token: joe });
    assert.equal(list.status, 200, list.body);
    assert.equal(list.json.runs.length, 1);
    assert.ok(list.json.next_cursor);
    const next = await call(gw, 'GET', `/v1/runs?stack=acme/web/dev&limit=1&cursor=${list.json.next_cursor}`, { token: joe });
    assert.equal(next.status, 200);
    const none = await call(gw, 'GET', '/v1/runs', { token: stranger });
    assert.deepEqual(none.json.runs, []);
    const hidden = await call(gw, 'GET', `/v1/runs/${list.json.runs[0].id}`, { token: stranger });
    assert.equal(hidden.status, 404);
    const events = await call(gw, 'GET', `/v1/runs/${list.json.runs[0].id}/events`, { token: stranger });
    assert.equal(events.status, 404);
    const bad = await call(gw, 'GET', '/v1/runs?status=done', { token: joe });
    assert.equal(bad.status, 400);
    const unauth = await call(gw, 'GET', '/v1/runs');
    assert.equal(unauth.status, 401);
  });

  test('bad run requests are refused with a reason', async () => {
    const cases = [
      [{ operation: 'deploy' }, 400, 'operation: expected preview, up, refresh or destroy'],
      [{}, 400, null],
      [{ operation: 'up', extra: 1 }, 400, null],
      [{ operation: 'destroy' }, 403, null],
    ];
    for (const [body, status, message] of cases) {
      const stack = body.operation === 'destroy' ? 'acme/payments/prod' : 'acme/payments/dev';
      const res = await call(gw, 'POST', `/v1/stacks/${stack}/runs`, { token: jane, body });
      assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.body}`);
      if (message) assert.equal(res.json.error.message, message);
    }
    const noStack = await call(gw, 'POST', '/v1/stacks/acme/payments/nope/runs', { token: stranger, body: { operation: 'preview' } });
    assert.equal(noStack.status, 403);
  });

  test('events: replay from the start, Last-Event-ID resume, live tail with heartbeats, many subscribers', async () => {
    scenario(tmp.dir, 'web', {
      resources: [1, 2, 3].map((i) => ({ type: 'random:index:RandomPet', name: `p${i}` })),
      sleep_ms_per_step: 700,
    });
    const run = await createRun(gw, jane, 'acme/web/dev', 'up');
    const subscribers = await Promise.all(Array.from({ length: 20 }, () => readEvents(gw, joe, run.id)));
    const first = subscribers[0];
    assert.ok(first.heartbeats >= 1, 'idle moments carry heartbeats');
    for (const s of subscribers) {
      assert.deepEqual(s.events.map((e) => e.id ?? 'end'), first.events.map((e) => e.id ?? 'end'));
    }
    const engine = first.events.filter((e) => e.event === 'engine');
    const resumed = await readEvents(gw, joe, run.id, { lastEventId: 3 });
    assert.deepEqual(resumed.events.filter((e) => e.event === 'engine').map((e) => e.id),
      engine.slice(3).map((e) => e.id));
    const viaQuery = await readEvents(gw, joe, run.id, { after: engine.length });
    assert.deepEqual(viaQuery.events.map((e) => e.event), ['end']);
    const badId = await call(gw, 'GET', `/v1/runs/${run.id}/events`, { token: joe, headers: { 'last-event-id': 'x1' } });
    assert.equal(badId.status, 400);
  });
});

describe('runs: timeout and a missing Pulumi binary', () => {
  const key = es256Key('corp-1');

  test('a run longer than run_timeout ends timed_out', async () => {
    const tmp = tempDir();
    const gw = await startGateway({ dir: tmp.dir, rest: setup(tmp.dir, key, { pulumi: ', run_timeout: 1s' }) });
    try {
      scenario(tmp.dir, 'payments', { resources: [{ type: 'random:index:RandomPet', name: 'p' }], sleep_ms_per_step: 30_000, ignore_sigint: true });
      const jane = mint(key, 'jane', ['devs']);
      const run = await createRun(gw, jane, 'acme/payments/dev', 'up');
      const done = await waitStatus(gw, jane, run.id, 'timed_out');
      assert.match(done.reason, /timed out/);
      const [rec] = records(tmp.dir, 'payments');
      await waitFor(async () => !alive(rec.pid), { timeoutMs: 10_000, what: 'the child is gone' });
    } finally {
      await gw.stop();
      tmp.cleanup();
    }
  });

  test('a missing binary makes /readyz fail and runs fail with a clear reason', async () => {
    const tmp = tempDir();
    const gw = await startGateway({ dir: tmp.dir, rest: setup(tmp.dir, key, { command: '/nonexistent/pulumi' }) });
    try {
      const ready = await call(gw, 'GET', '/readyz');
      assert.equal(ready.status, 503);
      assert.match(ready.body, /pulumi/);
      const jane = mint(key, 'jane', ['devs']);
      const run = await createRun(gw, jane, 'acme/payments/dev', 'preview');
      const done = await waitStatus(gw, jane, run.id, 'failed');
      assert.match(done.reason, /\/nonexistent\/pulumi/);
    } finally {
      await gw.stop();
      tmp.cleanup();
    }
  });
});

describe('runs: recovery after the gateway is killed', () => {
  test('kill -9 during a run: after restart it is orphaned, its child is gone, the next run proceeds', async () => {
    const tmp = tempDir();
    const key = es256Key('corp-1');
    const rest = setup(tmp.dir, key);
    scenario(tmp.dir, 'payments', { resources: [{ type: 'random:index:RandomPet', name: 'p' }], sleep_ms_per_step: 60_000 });
    const jane = mint(key, 'jane', ['devs']);
    let gw = await startGateway({ dir: tmp.dir, rest });
    let run;
    try {
      run = await createRun(gw, jane, 'acme/payments/dev', 'up');
      await waitStatus(gw, jane, run.id, 'running');
      await waitFor(async () => records(tmp.dir, 'payments').length === 1, { what: 'the child started' });
      await gw.stop('SIGKILL');
    } catch (e) {
      await gw.stop('SIGKILL');
      throw e;
    }
    const [rec] = records(tmp.dir, 'payments');
    assert.equal(alive(rec.pid), true, 'the child outlived the gateway');
    gw = await startGateway({ dir: tmp.dir, rest });
    try {
      const orphaned = await waitStatus(gw, jane, run.id, 'orphaned');
      assert.match(orphaned.reason, /^the gateway stopped while the run was in flight/);
      await waitFor(async () => !alive(rec.pid), { timeoutMs: 10_000, what: 'the orphaned child is gone' });
      scenario(tmp.dir, 'payments', {});
      const next = await createRun(gw, jane, 'acme/payments/dev', 'up');
      await waitStatus(gw, jane, next.id, 'succeeded');
    } finally {
      await gw.stop();
      tmp.cleanup();
    }
  });
});

describe('runs: per-run credentials reach the child, and only the child', () => {
  test('a stored Pulumi token, AWS web identity, a GCP external account and Azure federation', async () => {
    const tmp = tempDir();
    const key = es256Key('corp-1');
    const credentials = `    credentials:
      pulumi: { token: { env: ACME_PULUMI_TOKEN } }
      aws: { role_arn: "arn:aws:iam::123456789012:role/deploy-{stack}" }
      gcp: { audience: "//iam.googleapis.com/projects/42/locations/global/workloadIdentityPools/sg/providers/sg" }
      azure: { client_id: "11111111-2222-3333-4444-555555555555", tenant_id: "66666666-7777-8888-9999-000000000000" }`;
    const gw = await startGateway({
      dir: tmp.dir, rest: setup(tmp.dir, key, { credentials }),
      env: { ACME_PULUMI_TOKEN: 'pul-0123456789abcdef' },
    });
    try {
      scenario(tmp.dir, 'payments', {});
      const jane = mint(key, 'jane', ['devs']);
      const run = await createRun(gw, jane, 'acme/payments/dev', 'up');
      await waitStatus(gw, jane, run.id, 'succeeded');
      const [rec] = records(tmp.dir, 'payments');
      const sha = (v) => `sha256:${createHash('sha256').update(v).digest('hex')}`;
      assert.equal(rec.env.PULUMI_ACCESS_TOKEN, sha('pul-0123456789abcdef'));
      assert.equal(rec.env.ACME_PULUMI_TOKEN, undefined, 'the gateway variable itself stays behind');
      assert.equal(rec.env.AWS_ROLE_ARN, 'arn:aws:iam::123456789012:role/deploy-dev');
      assert.equal(rec.env.AWS_ROLE_SESSION_NAME, `sg-${run.id}-jane@example.test`.slice(0, 64));
      assert.ok(rec.env.AWS_ROLE_SESSION_NAME.length <= 64);
      const runDir = path.join(tmp.dir, 'runs', run.id);
      const aws = rec.files.AWS_WEB_IDENTITY_TOKEN_FILE;
      assert.equal(path.dirname(aws.path), runDir);
      assert.equal(aws.mode, '0600');
      assert.equal(aws.jwt.header.typ, 'JWT');
      assert.equal(aws.jwt.payload.aud, 'sts.amazonaws.com');
      assert.equal(aws.jwt.payload.sub, 'stack:acme/payments/dev:operation:up');
      assert.equal(aws.jwt.payload.run_id, run.id);
      assert.equal(aws.jwt.payload.requester, 'jane');
      const gcp = rec.files.GOOGLE_APPLICATION_CREDENTIALS;
      assert.equal(gcp.mode, '0600');
      assert.equal(gcp.json.type, 'external_account');
      assert.equal(gcp.json.audience, '//iam.googleapis.com/projects/42/locations/global/workloadIdentityPools/sg/providers/sg');
      assert.equal(path.dirname(gcp.json.credential_source.file), runDir);
      assert.equal(rec.env.AZURE_CLIENT_ID, '11111111-2222-3333-4444-555555555555');
      assert.equal(rec.env.ARM_USE_OIDC, 'true');
      const azure = rec.files.AZURE_FEDERATED_TOKEN_FILE;
      assert.equal(azure.jwt.payload.aud, 'api://AzureADTokenExchange');
      assert.equal(existsSync(runDir), false, 'the run folder, credential files included, is gone');

      const auditor = mint(key, 'audrey', ['auditors']);
      const trail = await auditOf(gw, auditor, run.id);
      assert.deepEqual(trail.map((e) => e.type),
        ['run.created', 'token.issued', 'token.issued', 'token.issued', 'run.started', 'run.finished']);
      for (const e of trail.filter((t) => t.type === 'token.issued')) {
        assert.equal(e.details.how, 'run');
        assert.equal(e.actor.subject, 'jane');
      }
      const all = JSON.stringify(trail);
      assert.ok(!all.includes(aws.sha256.slice(7)) && !all.includes('pul-0123456789abcdef'));
    } finally {
      await gw.stop();
      tmp.cleanup();
    }
  });

  test('a self-managed backend: its URL, the passphrase as a private file, the bare stack name', async () => {
    const tmp = tempDir();
    const key = es256Key('corp-1');
    const credentials = `    credentials:
      backend: { url: "file://${tmp.dir}/state", passphrase: { env: ACME_PASSPHRASE } }`;
    const gw = await startGateway({
      dir: tmp.dir, rest: setup(tmp.dir, key, { credentials }), env: { ACME_PASSPHRASE: 'correct horse' },
    });
    try {
      scenario(tmp.dir, 'payments', {});
      const jane = mint(key, 'jane', ['devs']);
      const run = await createRun(gw, jane, 'acme/payments/qa', 'refresh');
      await waitStatus(gw, jane, run.id, 'succeeded');
      const [rec] = records(tmp.dir, 'payments');
      assert.equal(rec.env.PULUMI_BACKEND_URL, `file://${tmp.dir}/state`);
      const file = rec.files.PULUMI_CONFIG_PASSPHRASE_FILE;
      assert.equal(file.mode, '0600');
      assert.equal(file.sha256, `sha256:${createHash('sha256').update('correct horse').digest('hex')}`);
      assert.equal(rec.env.ACME_PASSPHRASE, undefined);
      assert.deepEqual(rec.argv.slice(0, 3), ['refresh', '--stack', 'qa']);
    } finally {
      await gw.stop();
      tmp.cleanup();
    }
  });

  test('the Pulumi Cloud OIDC exchange: the run token verifies against the gateway JWKS and the access token reaches the child', async () => {
    const tmp = tempDir();
    const key = es256Key('corp-1');
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const cloud = await startPulumiCloud({ jwksUrl: `${issuer}/.well-known/jwks.json`, issuer, org: 'acme' });
    const credentials = `    credentials:
      pulumi: { oidc_exchange: { api: "${cloud.url}", org: acme, team: payments, ttl: 30m } }`;
    const gw = await startGateway({ dir: tmp.dir, port, rest: setup(tmp.dir, key, { credentials }) });
    try {
      scenario(tmp.dir, 'payments', {});
      const jane = mint(key, 'jane', ['devs']);
      const run = await createRun(gw, jane, 'acme/payments/dev', 'preview');
      await waitStatus(gw, jane, run.id, 'succeeded');
      assert.equal(cloud.exchanges.length, 1);
      const [ex] = cloud.exchanges;
      assert.equal(ex.ok, true, JSON.stringify(ex));
      assert.equal(ex.requestedTokenType, 'urn:pulumi:token-type:access_token:team');
      assert.equal(ex.scope, 'team:payments');
      assert.equal(ex.expiration, 1800);
      assert.equal(ex.claims.sub, 'stack:acme/payments/dev:operation:preview');
      assert.equal(ex.claims.aud, 'urn:pulumi:org:acme');
      assert.equal(ex.claims.iss, issuer);
      assert.equal(ex.claims.run_id, run.id);
      const [rec] = records(tmp.dir, 'payments');
      const sha = (v) => `sha256:${createHash('sha256').update(v).digest('hex')}`;
      assert.equal(rec.env.PULUMI_ACCESS_TOKEN, sha(ex.accessToken));
      assert.equal(rec.env.PULUMI_BACKEND_URL, cloud.url);

    } finally {
      await gw.stop();
      await cloud.close();
      tmp.cleanup();
    }
  });

  test('a refused exchange fails the run before Pulumi starts, and the token sent is on the record', async () => {
    const tmp = tempDir();
    const key = es256Key('corp-1');
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const cloud = await startPulumiCloud({
      jwksUrl: `${issuer}/.well-known/jwks.json`, issuer, org: 'acme', policy: () => 'no runs today',
    });
    const credentials = `    credentials:
      pulumi: { oidc_exchange: { api: "${cloud.url}", org: acme } }`;
    const gw = await startGateway({ dir: tmp.dir, port, rest: setup(tmp.dir, key, { credentials }) });
    try {
      const jane = mint(key, 'jane', ['devs']);
      const run = await createRun(gw, jane, 'acme/payments/dev', 'preview');
      const done = await waitStatus(gw, jane, run.id, 'failed');
      assert.match(done.reason, /^credentials: pulumi\.oidc_exchange: .*no runs today/);
      assert.deepEqual(records(tmp.dir, 'payments'), [], 'Pulumi never started');
      const trail = await auditOf(gw, mint(key, 'audrey', ['auditors']), run.id);
      assert.deepEqual(trail.map((e) => e.type), ['run.created', 'token.issued', 'run.finished']);
    } finally {
      await gw.stop();
      await cloud.close();
      tmp.cleanup();
    }
  });
});
