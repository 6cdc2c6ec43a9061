// The policy on the command line: `check` validating the policy file, `policy eval` (decision,
// reasons, exit codes, --json) and `policy test` (passing, failing and broken test files).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from './helpers/gateway.mjs';

const CONFIG = `store: "sqlite://./data/sg.db"
policy: ./policy.yaml
projects:
  - org: acme
    name: payments
    dir: .
    stacks:
      - { name: dev, tags: { team: payments, env: dev }, owner: "group:default/payments" }
      - { name: prod, tags: { team: payments, env: prod }, lifecycle: production }
`;

// Rules: team-developer at line 4, prod-deployer at 9 (allow with approval) and 12 (deny
// destroy), platform-admin at 16 and 18; bindings at lines 21 and 22.
const POLICY = `roles:
  - name: team-developer
    rules:
      - allow: [read, preview, update, refresh, cancel]
        stacks: ["acme/*/dev", "acme/*/staging"]
        when: { tag.team: "{principal.team}" }
  - name: prod-deployer
    rules:
      - allow: [preview, update]
        stacks: ["acme/*/prod"]
        approval: { approvers: [platform-admin], count: 1 }
      - deny: [destroy]
        stacks: ["acme/*/prod"]
  - name: platform-admin
    rules:
      - allow: [read, approve, admin]
        stacks: ["*"]
      - allow: [audit]
        stacks: ["*"]
bindings:
  - { roles: [team-developer, prod-deployer], when: { issuer: corp-sso, claim.groups: engineering } }
  - { roles: [platform-admin], when: { issuer: corp-sso, claim.groups: platform-admins } }
`;

const JANE = {
  subject: 'user:default/jane',
  issuer: 'corp-sso',
  team: 'payments',
  groups: ['engineering'],
  claims: { groups: ['engineering'] },
};

// A temporary directory with stackgate.yaml, policy.yaml and jane.json (overrides by file name).
function setup(files = {}) {
  const t = tempDir();
  const all = { 'stackgate.yaml': CONFIG, 'policy.yaml': POLICY, 'jane.json': JSON.stringify(JANE), ...files };
  for (const [name, text] of Object.entries(all)) writeFileSync(path.join(t.dir, name), text);
  t.file = (name) => path.join(t.dir, name);
  return t;
}

function withSetup(files, body) {
  const t = setup(files);
  try {
    return body(t);
  } finally {
    t.cleanup();
  }
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('stackgate check with a policy', () => {
  it('reports the errors of the configuration and of its policy together, with positions', () => {
    const policy = `roles:
  - name: dev
    rules:
      - allow: [read, updte]
        stacks: ["acme/*/dev"]
        whn: { tag.team: x }
bindings:
  - { roles: [devs] }
`;
    withSetup({ 'stackgate.yaml': `${CONFIG}sever: {}\n`, 'policy.yaml': policy }, (t) => {
      const r = runCli(['check', '--config', t.file('stackgate.yaml')]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      const lines = r.stderr.trim().split('\n');
      const p = t.file('policy.yaml');
      assert.deepEqual(lines, [
        `${t.file('stackgate.yaml')}:10:1: sever: unknown section; did you mean 'server'?`,
        `${p}:4:23: roles[0].rules[0].allow[1]: expected one of read, preview, update, refresh, destroy, cancel, approve, admin or audit, got "updte"; did you mean 'update'?`,
        `${p}:6:9: roles[0].rules[0].whn: unknown key; did you mean 'when'?`,
        `${p}:8:15: bindings[0].roles[0]: unknown role 'devs'; did you mean 'dev'?`,
        `1 error in ${t.file('stackgate.yaml')}`,
        `3 errors in ${p}`,
      ]);
    });
  });

  it('says the policy file is missing at the position of the policy key', () => {
    withSetup({}, (t) => {
      writeFileSync(t.file('stackgate.yaml'), CONFIG.replace('./policy.yaml', './nope.yaml'));
      const r = runCli(['check', '--config', t.file('stackgate.yaml')]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`^${escape(t.file('stackgate.yaml'))}:2:9: policy: `, 'm'));
    });
  });

  it('prints OK for the configuration and the policy with its size', () => {
    withSetup({}, (t) => {
      const r = runCli(['check', '--config', t.file('stackgate.yaml')]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${t.file('stackgate.yaml')}: OK\n${t.file('policy.yaml')}: OK (3 roles, 5 rules, 2 bindings)\n`);
      assert.equal(r.stderr, '');
    });
  });

  it('warns, but succeeds, when the configuration names no policy', () => {
    withSetup({ 'stackgate.yaml': 'store: "sqlite://./data/sg.db"\n' }, (t) => {
      const r = runCli(['check', '--config', t.file('stackgate.yaml')]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${t.file('stackgate.yaml')}: OK\n`);
      assert.equal(r.stderr, `${t.file('stackgate.yaml')}: warning: no policy configured: every request will be denied\n`);
    });
  });
});

describe('stackgate policy eval', () => {
  const evalArgs = (t, action, stack, extra = []) => [
    'policy', 'eval', '--config', t.file('stackgate.yaml'), '--principal', t.file('jane.json'),
    '--action', action, ...(stack ? ['--stack', stack] : []), ...extra,
  ];

  it('allow: prints the decision, roles and reasons and exits 0', () => {
    withSetup({}, (t) => {
      const r = runCli(evalArgs(t, 'update', 'acme/payments/dev'));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, [
        'decision: allow',
        'principal: user:default/jane',
        'action: update',
        'stack: acme/payments/dev',
        'roles: team-developer, prod-deployer',
        'reasons:',
        '  binding 1 (policy.yaml:21) gives [team-developer, prod-deployer]',
        '  role team-developer, rule 1 (policy.yaml:4) allows update on acme/payments/dev',
        '',
      ].join('\n'));
      assert.equal(r.stderr, '');
    });
  });

  it('deny: exits 2 and names the rule that denies', () => {
    withSetup({}, (t) => {
      const r = runCli(evalArgs(t, 'destroy', 'acme/payments/prod'));
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stdout, /^decision: deny\n/);
      assert.match(r.stdout, /\n {2}role prod-deployer, rule 2 \(policy\.yaml:12\) denies destroy on acme\/payments\/prod\n$/);
    });
  });

  it('approval_required: exits 3 and lists who may approve', () => {
    withSetup({}, (t) => {
      const r = runCli(evalArgs(t, 'update', 'acme/payments/prod'));
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stdout, /^decision: approval_required\n/);
      assert.ok(r.stdout.endsWith([
        'approvals (any one suffices):',
        '  1 holder of [platform-admin], asked by role prod-deployer, rule 1 (policy.yaml:9)',
        '',
      ].join('\n')), r.stdout);
    });
  });

  it('--json prints what the HTTP API will', () => {
    withSetup({}, (t) => {
      const r = runCli(evalArgs(t, 'update', 'acme/payments/prod', ['--json']));
      assert.equal(r.code, 3, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(out).sort(), ['approvals', 'decision', 'principal', 'reasons', 'roles']);
      assert.equal(out.decision, 'approval_required');
      assert.deepEqual(out.principal, {
        subject: 'user:default/jane', issuer: 'corp-sso', kind: 'user', email: '', name: '',
        team: 'payments', groups: ['engineering'], ownership: [], act: [], expires_at: 0,
      });
      assert.deepEqual(out.roles, ['team-developer', 'prod-deployer']);
      assert.equal(out.reasons.length, 2);
      assert.deepEqual(out.approvals, [
        { approvers: ['platform-admin'], count: 1, rule: 'role prod-deployer, rule 1 (policy.yaml:9)' },
      ]);
    });
  });

  it('a stack the configuration does not know is evaluated with its names, and says so', () => {
    withSetup({}, (t) => {
      const r = runCli(evalArgs(t, 'update', 'acme/ledger/dev'));
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stdout, /^stack: acme\/ledger\/dev \(not in the configuration: evaluated with only its org, project and name\)$/m);
      const j = runCli(evalArgs(t, 'update', 'acme/ledger/dev', ['--json']));
      assert.equal(j.code, 2);
      assert.equal(JSON.parse(j.stdout).decision, 'deny');
      assert.equal(j.stderr, 'note: acme/ledger/dev is not in the configuration: evaluated with only its org, project and name\n');
    });
  });

  it('audit is evaluated over the whole gateway, without --stack', () => {
    const admin = { subject: 'user:default/root', issuer: 'corp-sso', claims: { groups: ['platform-admins'] } };
    withSetup({ 'root.json': JSON.stringify(admin) }, (t) => {
      const args = ['policy', 'eval', '--config', t.file('stackgate.yaml'), '--principal', t.file('root.json'), '--action', 'audit'];
      const r = runCli(args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /role platform-admin, rule 2 \(policy\.yaml:18\) allows audit on all stacks\n$/);
      assert.doesNotMatch(r.stdout, /^stack:/m);
      const withStack = runCli([...args, '--stack', 'acme/payments/dev']);
      assert.equal(withStack.code, 1);
      assert.equal(withStack.stderr, 'stackgate policy eval: audit is not about one stack: leave out --stack\n');
    });
  });

  it('a token scope in the principal narrows the decision', () => {
    withSetup({ 'scoped.json': JSON.stringify({ ...JANE, scope: 'stack:acme/*:read' }) }, (t) => {
      const args = ['policy', 'eval', '--config', t.file('stackgate.yaml'), '--principal', t.file('scoped.json'),
        '--action', 'update', '--stack', 'acme/payments/dev'];
      const r = runCli(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stdout, /\n {2}the token's scope does not include update on acme\/payments\/dev\n$/);
    });
  });

  it('usage and load errors exit 1', () => {
    withSetup({ 'bad.json': '{"subject": "s", "grups": []}', 'broken.json': '{"subject": ' }, (t) => {
      const unknown = runCli(evalArgs(t, 'deploy', 'acme/payments/dev'));
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /^stackgate policy eval: unknown action 'deploy'; expected one of read, preview, update, refresh, destroy, cancel, approve, admin, audit\n$/);

      const noStack = runCli(evalArgs(t, 'update', ''));
      assert.equal(noStack.code, 1);
      assert.match(noStack.stderr, /--stack org\/project\/stack is required for update/);

      const badStack = runCli(evalArgs(t, 'update', 'acme/payments'));
      assert.equal(badStack.code, 1);
      assert.match(badStack.stderr, /--stack: a stack is written org\/project\/stack/);

      const missingOption = runCli(['policy', 'eval', '--config', t.file('stackgate.yaml'), '--action', 'read']);
      assert.equal(missingOption.code, 1);
      assert.match(missingOption.stderr, /--principal is required/);

      const badField = runCli(['policy', 'eval', '--config', t.file('stackgate.yaml'), '--principal', t.file('bad.json'), '--action', 'read', '--stack', 'a/b/c']);
      assert.equal(badField.code, 1);
      assert.equal(badField.stderr, `stackgate policy eval: ${t.file('bad.json')}: unknown field "grups"; did you mean 'groups'?\n`);

      const badJson = runCli(['policy', 'eval', '--config', t.file('stackgate.yaml'), '--principal', t.file('broken.json'), '--action', 'read', '--stack', 'a/b/c']);
      assert.equal(badJson.code, 1);
      assert.match(badJson.stderr, new RegExp(`^stackgate policy eval: ${escape(t.file('broken.json'))}: `));

      const noFile = runCli(['policy', 'eval', '--config', t.file('stackgate.yaml'), '--principal', t.file('none.json'), '--action', 'read', '--stack', 'a/b/c']);
      assert.equal(noFile.code, 1);
      assert.match(noFile.stderr, /none\.json: cannot read the file: No such file or directory/);
    });
  });

  it('a broken policy exits 1 with its errors', () => {
    withSetup({ 'policy.yaml': 'roles:\n  - name: r\n    rules:\n      - allow: [fly]\n        stacks: ["*"]\n' }, (t) => {
      const r = runCli(evalArgs(t, 'read', 'acme/payments/dev'));
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, new RegExp(`^${escape(t.file('policy.yaml'))}:4:17: `, 'm'));
    });
  });

  it('--help documents the exit codes', () => {
    const r = runCli(['policy', 'eval', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /0 allow, 2 deny, 3 approval_required, 1 for a usage error/);
  });
});

describe('stackgate policy test', () => {
  const PASSING = `principals:
  jane: { subject: "user:default/jane", issuer: corp-sso, team: payments, claims: { groups: [engineering] } }
  root: { subject: "user:default/root", issuer: corp-sso, claims: { groups: [platform-admins] } }
stacks:
  - { ref: acme/payments/staging, tags: { team: payments } }
cases:
  - { name: jane updates dev, principal: jane, action: update, stack: acme/payments/dev, expect: allow }
  - { name: jane updates staging, principal: jane, action: update, stack: acme/payments/staging, expect: allow }
  - name: jane updates prod with approval
    principal: jane
    action: update
    stack: acme/payments/prod
    expect: approval_required
    approvers: [platform-admin]
  - { name: nobody destroys prod, principal: jane, action: destroy, stack: acme/payments/prod, expect: deny }
  - { name: root reads the audit log, principal: root, action: audit, expect: allow }
`;

  const FAILING = `principals:
  jane: { subject: "user:default/jane", issuer: corp-sso, team: payments, claims: { groups: [engineering] } }
cases:
  - { name: jane reads dev, principal: jane, action: read, stack: acme/payments/dev, expect: allow }
  - name: jane destroys dev
    principal: jane
    action: destroy
    stack: acme/payments/dev
    expect: allow
  - { name: outsider, principal: { subject: "user:default/eve" }, action: read, stack: acme/payments/dev, expect: allow }
`;

  it('a passing file prints the summary and exits 0', () => {
    withSetup({ 'passing.yaml': PASSING }, (t) => {
      const r = runCli(['policy', 'test', '--config', t.file('stackgate.yaml'), t.file('passing.yaml')]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.stdout, '5 passed, 0 failed\n');
      assert.equal(r.stderr, '');
    });
  });

  it('a failing file prints each failure with its line and reasons and exits 1', () => {
    withSetup({ 'passing.yaml': PASSING, 'failing.yaml': FAILING }, (t) => {
      const f = t.file('failing.yaml');
      const r = runCli(['policy', 'test', '--config', t.file('stackgate.yaml'), t.file('passing.yaml'), f]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, [
        `${f}:5: case "jane destroys dev": expected allow, got deny`,
        '  binding 1 (policy.yaml:21) gives [team-developer, prod-deployer]',
        '  no rule of roles [team-developer, prod-deployer] allows destroy on acme/payments/dev',
        `${f}:10: case "outsider": expected allow, got deny`,
        '  no role: deny by default',
        '6 passed, 2 failed',
        '',
      ].join('\n'));
    });
  });

  it('a broken test file reports every error with its position and exits 1', () => {
    const broken = `principals:
  jane: { subject: "user:default/jane", tema: payments }
cases:
  - { name: a, principal: jane, action: read, stack: acme/payments/dev, expect: alow }
  - { name: b, principal: jnae, action: reed, stack: acme/payments/dev, expect: deny }
`;
    withSetup({ 'broken.yaml': broken, 'passing.yaml': PASSING }, (t) => {
      const b = t.file('broken.yaml');
      const r = runCli(['policy', 'test', '--config', t.file('stackgate.yaml'), b, t.file('passing.yaml')]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, [
        `${b}:2:41: principals.jane: unknown field "tema"; did you mean 'team'?`,
        `${b}:4:81: cases[0].expect: expected one of allow, deny or approval_required, got "alow"; did you mean 'allow'?`,
        `${b}:5:27: cases[1].principal: unknown principal "jnae"; did you mean 'jane'?`,
        `${b}:5:41: cases[1].action: expected one of read, preview, update, refresh, destroy, cancel, approve, admin or audit, got "reed"; did you mean 'read'?`,
        '',
      ].join('\n'));
      assert.equal(r.stdout, '5 passed, 0 failed; 1 file could not be loaded\n');
    });
  });

  it('needs at least one test file', () => {
    withSetup({}, (t) => {
      const r = runCli(['policy', 'test', '--config', t.file('stackgate.yaml')]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /TESTS is required/);
    });
  });
});
