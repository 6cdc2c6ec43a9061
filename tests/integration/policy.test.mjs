// Policy, black-box: real tokens from a real OpenID provider go through /v1/authorize, /v1/stacks
// and /v1/whoami of the real gateway, which evaluates a policy file and reloads it on SIGHUP and on
// change — refusing a broken one while the previous policy keeps serving.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { call, issuersYaml, request, waitFor } from './helpers/auth.mjs';
import { PULUMI_STANDIN, runCli, startGateway, tempDir } from './helpers/gateway.mjs';
import { startOidcProvider } from './peers/oidc.mjs';

const POLICY = `roles:
  - name: reader
    rules:
      - allow: [read]
        stacks: ["acme/payments/*"]
  - name: deployer
    rules:
      - allow: [preview, update]
        stacks: ["acme/*/dev"]
        when: { tag.team: "{principal.team}" }
      - allow: [update]
        stacks: ["acme/*/prod"]
        when: { tag.team: "{principal.team}" }
        approval: { approvers: [admin], count: 2 }
      - deny: [destroy]
        stacks: ["*/prod"]
      - allow: [destroy]
        stacks: ["*"]
  - name: admin
    rules:
      - allow: [audit]
        stacks: ["*"]
bindings:
  - { roles: [reader], when: { issuer: corp-ci } }
  - { roles: [deployer], when: { issuer: corp-ci, claim.groups: payments-devs } }
  - { roles: [admin], when: { claim.groups: platform-admins } }
`;

// A gateway trusting `op` as corp-ci, with three stacks and POLICY in `dir`.
function gatewayConfig(op, dir) {
  for (const p of ['payments', 'web']) mkdirSync(path.join(dir, p), { recursive: true });
  writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
  return `policy: ./policy.yaml
pulumi: { command: ${JSON.stringify(PULUMI_STANDIN)} }
${issuersYaml([{
    name: 'corp-ci', kind: 'oidc', issuer: op.issuer, audiences: ['stackgate'], algorithms: ['ES256'],
    types: ['at+jwt'], principal_kind: 'machine', claims: { groups: 'groups', team: 'team' },
  }])}projects:
  - org: acme
    name: payments
    dir: ./payments
    stacks:
      - { name: dev, tags: { team: payments, env: dev }, owner: "group:default/payments" }
      - { name: prod, tags: { team: payments, env: prod }, owner: "group:default/payments", lifecycle: production }
  - org: acme
    name: web
    dir: ./web
    stacks:
      - { name: dev, tags: { team: web } }
`;
}


const authorize = (gw, token, body) => call(gw, 'POST', '/v1/authorize', { token, body });

describe('policy decisions for real OpenID tokens', () => {
  let op;
  let gw;
  let token;
  const tmp = tempDir();

  before(async () => {
    op = await startOidcProvider({ extraClaims: { groups: ['payments-devs', 'eng'], team: 'payments' } });
    gw = await startGateway({ dir: tmp.dir, rest: gatewayConfig(op, tmp.dir) });
    token = await op.getToken();
  });
  after(async () => {
    await gw?.stop();
    await op?.stop();
    tmp.cleanup();
  });

  test('update on a dev stack of the caller\'s team is allowed, with the binding and rule named', async () => {
    const res = await authorize(gw, token, { action: 'update', stack: 'acme/payments/dev' });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json.decision, 'allow');
    assert.equal(res.json.action, 'update');
    assert.equal(res.json.stack, 'acme/payments/dev');
    assert.deepEqual(res.json.roles, ['reader', 'deployer']);
    assert.equal(res.json.principal.subject, op.clientId);
    assert.equal(res.json.principal.issuer, 'corp-ci');
    assert.deepEqual(res.json.reasons, [
      'binding 1 (policy.yaml:24) gives [reader]',
      'binding 2 (policy.yaml:25) gives [deployer]',
      'role deployer, rule 1 (policy.yaml:8) allows update on acme/payments/dev',
    ]);
    assert.equal(res.json.approvals, undefined);
  });

  test('update on prod needs the approval the rule names', async () => {
    const res = await authorize(gw, token, { action: 'update', stack: 'acme/payments/prod' });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json.decision, 'approval_required');
    assert.deepEqual(res.json.approvals, [{
      approvers: ['admin'], count: 2, rule: 'role deployer, rule 2 (policy.yaml:11)',
    }]);
  });

  test('deny beats allow: destroy on prod is denied though destroy on * is allowed', async () => {
    const prod = await authorize(gw, token, { action: 'destroy', stack: 'acme/payments/prod' });
    assert.equal(prod.json.decision, 'deny', prod.body);
    assert.equal(prod.json.reasons.at(-1),
      'role deployer, rule 3 (policy.yaml:15) denies destroy on acme/payments/prod');
    const dev = await authorize(gw, token, { action: 'destroy', stack: 'acme/payments/dev' });
    assert.equal(dev.json.decision, 'allow', dev.body);
  });

  test('another team\'s stack is denied, saying no rule of the caller\'s roles allows it', async () => {
    const res = await authorize(gw, token, { action: 'update', stack: 'acme/web/dev' });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json.decision, 'deny');
    assert.equal(res.json.reasons.at(-1),
      'no rule of roles [reader, deployer] allows update on acme/web/dev');
  });

  test('audit is a global action the caller does not hold', async () => {
    const res = await authorize(gw, token, { action: 'audit' });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json.decision, 'deny');
    assert.equal(res.json.stack, '*');
    assert.equal(res.json.reasons.at(-1), 'no rule of roles [reader, deployer] allows audit on all stacks');
  });

  test('an unknown stack is 404 only to a caller who could read it', async () => {
    const readable = await authorize(gw, token, { action: 'update', stack: 'acme/payments/nope' });
    assert.equal(readable.status, 404, readable.body);
    assert.equal(readable.json.error.code, 'not_found');
    // Not readable: the same answer as for acme/web/dev, which exists.
    const hidden = await authorize(gw, token, { action: 'read', stack: 'zzz/x/y' });
    const existing = await authorize(gw, token, { action: 'read', stack: 'acme/web/dev' });
    assert.equal(hidden.status, 200, hidden.body);
    assert.equal(hidden.json.decision, 'deny');
    assert.equal(existing.json.decision, 'deny');
    assert.equal(hidden.json.reasons.at(-1), 'no rule of roles [reader, deployer] allows read on zzz/x/y');
    assert.equal(existing.json.reasons.at(-1), 'no rule of roles [reader, deployer] allows read on acme/web/dev');
  });

  test('bad requests are 400 naming the problem; no token is 401', async () => {
    const cases = [
      [{ action: 'deploy', stack: 'acme/payments/dev' }, /^action: expected read, preview/],
      [{ stack: 'acme/payments/dev' }, /action/],
      [{ action: 'read' }, /^stack: required$/],
      [{ action: 'read', stack: 'acme/payments' }, /^stack: a stack is written org\/project\/stack$/],
      [{ action: 'read', stack: 'acme/pay ments/dev' }, /^stack: the project name may only contain/],
      [{ action: 'read', stack: 'acme/payments/dev', extra: 1 }, /extra/],
      [{ action: 'audit', stack: 'acme/payments/dev' }, /^stack: audit is not about one stack/],
    ];
    for (const [body, message] of cases) {
      const res = await authorize(gw, token, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.body}`);
      assert.equal(res.json.error.code, 'invalid_argument');
      assert.match(res.json.error.message, message);
    }
    const noToken = await authorize(gw, undefined, { action: 'read', stack: 'acme/payments/dev' });
    assert.equal(noToken.status, 401, noToken.body);
  });

  test('GET /v1/stacks lists exactly the readable stacks with the caller\'s actions', async () => {
    const res = await call(gw, 'GET', '/v1/stacks', { token });
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(res.json, {
      stacks: [
        {
          ref: 'acme/payments/dev', org: 'acme', project: 'payments', name: 'dev',
          tags: { env: 'dev', team: 'payments' }, owner: 'group:default/payments',
          actions: ['read', 'preview', 'update', 'destroy'], approval_required: [],
        },
        {
          ref: 'acme/payments/prod', org: 'acme', project: 'payments', name: 'prod',
          tags: { env: 'prod', team: 'payments' }, owner: 'group:default/payments', lifecycle: 'production',
          actions: ['read'], approval_required: ['update'],
        },
      ],
      next_cursor: null,
    });
  });

  test('GET /v1/stacks pages with limit and cursor, and refuses bad parameters', async () => {
    const first = await call(gw, 'GET', '/v1/stacks?limit=1', { token });
    assert.equal(first.status, 200, first.body);
    assert.deepEqual(first.json.stacks.map((s) => s.ref), ['acme/payments/dev']);
    assert.equal(first.json.next_cursor, 'acme/payments/dev');
    const second = await call(gw, 'GET', `/v1/stacks?limit=1&cursor=${encodeURIComponent(first.json.next_cursor)}`, { token });
    assert.deepEqual(second.json.stacks.map((s) => s.ref), ['acme/payments/prod']);
    assert.equal(second.json.next_cursor, null);
    const filtered = await call(gw, 'GET', '/v1/stacks?project=web', { token });
    assert.deepEqual(filtered.json.stacks, []);
    for (const q of ['limit=0', 'limit=1001', 'limit=x', 'colour=red', 'limit=1&limit=2', 'cursor=%zz']) {
      const res = await call(gw, 'GET', `/v1/stacks?${q}`, { token });
      assert.equal(res.status, 400, `${q}: ${res.body}`);
      assert.equal(res.json.error.code, 'invalid_argument');
    }
  });

  test('GET /v1/stacks/{ref}: 200 readable, 403 unreadable whether or not it exists, 404 readable unknown', async () => {
    const prod = await call(gw, 'GET', '/v1/stacks/acme/payments/prod', { token });
    assert.equal(prod.status, 200, prod.body);
    assert.deepEqual(prod.json.actions, ['read']);
    assert.deepEqual(prod.json.approval_required, ['update']);
    const web = await call(gw, 'GET', '/v1/stacks/acme/web/dev', { token });
    const ghost = await call(gw, 'GET', '/v1/stacks/acme/ghost/dev', { token });
    assert.equal(web.status, 403, web.body);
    assert.equal(ghost.status, 403, ghost.body);
    assert.equal(web.json.error.code, 'forbidden');
    assert.equal(web.json.error.message, 'not allowed to read acme/web/dev');
    assert.equal(ghost.json.error.message, 'not allowed to read acme/ghost/dev');
    const missing = await call(gw, 'GET', '/v1/stacks/acme/payments/nope', { token });
    assert.equal(missing.status, 404, missing.body);
    assert.equal(missing.json.error.message, 'no stack acme/payments/nope');
  });

  test('GET /v1/whoami adds roles and effective permissions with templates resolved', async () => {
    const res = await call(gw, 'GET', '/v1/whoami', { token });
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(res.json.roles, ['reader', 'deployer']);
    assert.deepEqual(res.json.global_actions, []);
    assert.deepEqual(res.json.permissions[0], { role: 'reader', effect: 'allow', actions: ['read'], stacks: ['acme/payments/*'] });
    assert.deepEqual(res.json.permissions[1], {
      role: 'deployer', effect: 'allow', actions: ['preview', 'update'], stacks: ['acme/*/dev'],
      when: { 'tag.team': ['payments'] },
    });
    assert.deepEqual(res.json.permissions[2].approval, { approvers: ['admin'], count: 2 });
    assert.equal(res.json.permissions.length, 5);
  });

  test('decisions are logged without the token', async () => {
    const line = await gw.waitForLog((l) => l.msg === 'authorization decision' && l.stack === 'acme/payments/prod');
    assert.equal(line.subject, op.clientId);
    assert.equal(line.issuer, 'corp-ci');
    assert.ok(!gw.stderr.includes(token));
  });
});

describe('policy reload', () => {
  let op;
  let token;
  before(async () => {
    op = await startOidcProvider({ extraClaims: { groups: ['payments-devs'], team: 'payments' } });
    token = await op.getToken();
  });
  after(async () => { await op?.stop(); });

  const metric = (text, name) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? undefined : Number(line.split(' ')[1]);
  };

  test('SIGHUP with a broken file keeps the old policy and reports it; a good file on disk takes over', async () => {
    const { dir, cleanup } = tempDir();
    const gw = await startGateway({ dir, rest: gatewayConfig(op, dir) });
    try {
      const policyPath = path.join(dir, 'policy.yaml');
      assert.equal((await authorize(gw, token, { action: 'audit' })).json.decision, 'deny');

      writeFileSync(policyPath, `${POLICY}  - { roles: [admn], when: { issuer: corp-ci } }\n`);
      gw.proc.kill('SIGHUP');
      const refused = await gw.waitForLog((l) => l.msg === 'policy reload refused; the previous policy stays in force');
      assert.equal(refused.reason, 'SIGHUP');
      assert.match(refused.first_error, /policy\.yaml:27:15: bindings\[3\]\.roles\[0\]: unknown role 'admn'; did you mean 'admin'\?$/);
      const ready = await request(`${gw.url}/readyz`);
      assert.equal(ready.status, 200, ready.body);
      const policyCheck = ready.json().checks.policy;
      assert.equal(policyCheck.ok, true);
      assert.match(policyCheck.warning, /^reload refused \(.*unknown role 'admn'.*\); generation 1 stays in force$/);
      const metrics = (await request(`${gw.url}/metrics`)).body;
      assert.equal(metric(metrics, 'stackgate_policy_last_reload_success'), 0);
      assert.equal(metric(metrics, 'stackgate_policy_reload_failures'), 1);
      assert.equal(metric(metrics, 'stackgate_policy_generation'), 1);
      // The old policy still decides.
      assert.equal((await authorize(gw, token, { action: 'update', stack: 'acme/payments/dev' })).json.decision, 'allow');

      // A good policy granting audit, picked up from the file without a signal.
      writeFileSync(policyPath, `${POLICY}  - { roles: [admin], when: { issuer: corp-ci } }\n`);
      await waitFor(async () => (await authorize(gw, token, { action: 'audit' })).json.decision === 'allow',
        { timeoutMs: 10_000, what: 'the changed policy file to be loaded' });
      const reloaded = await gw.waitForLog((l) => l.msg === 'policy reloaded');
      assert.equal(reloaded.reason, 'file changed');
      assert.equal(reloaded.generation, 2);
      assert.equal(reloaded.rules, 6);
      const after2 = (await request(`${gw.url}/metrics`)).body;
      assert.equal(metric(after2, 'stackgate_policy_last_reload_success'), 1);
      assert.equal(metric(after2, 'stackgate_policy_generation'), 2);
      assert.equal((await request(`${gw.url}/readyz`)).json().checks.policy.warning, undefined);
    } finally {
      await gw.stop();
      cleanup();
    }
  });

  test('a broken policy at start stops the gateway with every error logged', async () => {
    // No issuer: runCli blocks this process, so an in-process provider could not answer.
    const { dir, cleanup } = tempDir();
    writeFileSync(path.join(dir, 'policy.yaml'),
      'roles:\n  - name: r\n    rules:\n      - allow: [fly]\n        stacks: ["a b"]\n');
    writeFileSync(path.join(dir, 'stackgate.yaml'),
      'server:\n  listen: "127.0.0.1:0"\nstore: "sqlite://./data/stackgate.db"\npolicy: ./policy.yaml\n');
    const res = runCli(['serve', '--config', path.join(dir, 'stackgate.yaml')]);
    cleanup();
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stderr, /"diagnostic":"[^"]*policy\.yaml:4:17: roles\[0\]\.rules\[0\]\.allow\[0\]: expected one of read/);
    assert.match(res.stderr, /"diagnostic":"[^"]*policy\.yaml:5:18: roles\[0\]\.rules\[0\]\.stacks\[0\]: a stack glob may only contain/);
    assert.match(res.stderr, /"msg":"cannot start","error":"the policy has 2 errors, first: /);
  });
});

describe('policy under serve --dev', () => {
  let gw;
  before(async () => { gw = await startGateway({ args: ['serve', '--dev', '--listen', '127.0.0.1:0'] }); });
  after(async () => { await gw?.stop(); });

  const devToken = async (body) => {
    const res = await call(gw, 'POST', '/dev/token', { body });
    assert.equal(res.status, 200, res.body);
    return res.json.access_token;
  };

  test('the demo policy gives developers their team\'s dev stack and asks approval for prod', async () => {
    const dev = await devToken({ subject: 'user:default/jane', team: 'payments', groups: ['developers'] });
    assert.equal((await authorize(gw, dev, { action: 'update', stack: 'acme/payments/dev' })).json.decision, 'allow');
    assert.equal((await authorize(gw, dev, { action: 'update', stack: 'acme/payments/prod' })).json.decision, 'approval_required');
    assert.equal((await authorize(gw, dev, { action: 'update', stack: 'acme/web/dev' })).json.decision, 'deny');
    const stacks = await call(gw, 'GET', '/v1/stacks', { token: dev });
    assert.deepEqual(stacks.json.stacks.map((s) => s.ref), ['acme/payments/dev', 'acme/payments/prod', 'acme/web/dev']);
    const admin = await devToken({ subject: 'user:default/root', groups: ['admins'] });
    assert.equal((await authorize(gw, admin, { action: 'audit' })).json.decision, 'allow');
    assert.equal((await authorize(gw, admin, { action: 'destroy', stack: 'acme/payments/prod' })).json.decision, 'deny');
  });
});
