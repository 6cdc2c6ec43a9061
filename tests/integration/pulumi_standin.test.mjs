// Tests of tests/pulumi-standin/pulumi, the Pulumi CLI stand-in the runs tests drive: its flags,
// exit codes, event log format, SIGINT handling, conflict and locked errors, and the environment
// record with hashed secrets. Every test owns its temporary directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './helpers/gateway.mjs';

const STANDIN = path.resolve(new URL('.', import.meta.url).pathname, '../pulumi-standin/pulumi');
const KINDS = new Set(['preludeEvent', 'stdoutEvent', 'diagnosticEvent', 'resourcePreEvent', 'resOutputsEvent',
  'resOpFailedEvent', 'summaryEvent', 'policyEvent', 'progressEvent', 'errorEvent', 'cancelEvent']);

// A clean environment like the gateway's: nothing inherited but PATH.
function baseEnv(extra = {}) {
  return { PATH: process.env.PATH, PULUMI_DEBUG_COMMANDS: 'true', ...extra };
}

function setup(t, scenario) {
  const { dir, cleanup } = tempDir('sg-standin-');
  t.after(cleanup);
  if (scenario) writeFileSync(path.join(dir, 'standin.json'), JSON.stringify(scenario));
  writeFileSync(path.join(dir, 'Pulumi.yaml'), 'name: payments\nruntime: nodejs\n');
  return { dir, log: path.join(dir, 'events.jsonl'), record: path.join(dir, 'record.jsonl') };
}

function runStandin(args, env) {
  const r = spawnSync(STANDIN, args, { env, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const opArgs = (op, dir, log, more = []) =>
  [op, '--stack', 'acme/payments/dev', '--cwd', dir, '--non-interactive', '--yes', '--color', 'never',
    '--event-log', log, ...more];

// Reads an event log and checks the format every line must have.
function readEvents(log) {
  const text = readFileSync(log, 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), 'the log ends with a newline');
  const events = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
  let last = -1;
  for (const e of events) {
    const keys = Object.keys(e);
    assert.deepEqual(keys.slice(0, 2), ['sequence', 'timestamp']);
    assert.equal(keys.length, 3, `exactly one kind in ${JSON.stringify(e)}`);
    assert.ok(KINDS.has(keys[2]), `known kind ${keys[2]}`);
    assert.ok(Number.isInteger(e.sequence) && e.sequence > last, 'sequence increases');
    assert.ok(Number.isInteger(e.timestamp) && Math.abs(e.timestamp - Date.now() / 1000) < 60);
    last = e.sequence;
  }
  if (events.length > 0) {
    assert.ok('cancelEvent' in events.at(-1), 'cancelEvent is last');
    assert.equal(events.filter((e) => 'cancelEvent' in e).length, 1);
  }
  return events;
}

const kind = (e) => Object.keys(e)[2];

test('version prints a version and exits 0', () => {
  const r = runStandin(['version'], baseEnv({ STANDIN_RECORD: '/dev/null' }));
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^v3\.\d+\.\d+\n$/);
});

test('up with every flag the gateway passes succeeds and writes the real event-log format', (t) => {
  const { dir, log } = setup(t, {
    resources: [
      { type: 'pulumi:pulumi:Stack', name: 'payments-dev', op: 'same' },
      { type: 'aws:s3/bucket:Bucket', name: 'logs', op: 'create' },
      { type: 'aws:s3/bucket:Bucket', name: 'old', op: 'delete' },
    ],
    program_output: ['hello from the program'],
    diagnostics: [{ severity: 'warning', message: 'deprecated' }],
  });
  const r = runStandin(opArgs('up', dir, log, ['-m', 'ship it', '--diff', '--suppress-progress', '--skip-preview']),
    baseEnv());
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Updating \(acme\/payments\/dev\)/);
  const events = readEvents(log);
  assert.deepEqual(events.map(kind), ['preludeEvent', 'stdoutEvent',
    'resourcePreEvent', 'resOutputsEvent', 'resourcePreEvent', 'resOutputsEvent', 'resourcePreEvent',
    'resOutputsEvent', 'diagnosticEvent', 'summaryEvent', 'cancelEvent']);
  assert.equal(events[1].stdoutEvent.message, 'hello from the program\n');
  const create = events[4].resourcePreEvent.metadata;
  assert.equal(create.op, 'create');
  assert.equal(create.urn, 'urn:pulumi:dev::payments::aws:s3/bucket:Bucket::logs');
  assert.equal(create.old, null);
  assert.equal(events[6].resourcePreEvent.metadata.new, null);
  assert.equal(events[8].diagnosticEvent.severity, 'warning');
  assert.deepEqual(events[9].summaryEvent, { maybeCorrupt: false, durationSeconds: 0,
    resourceChanges: { same: 1, create: 1, delete: 1 }, PolicyPacks: {}, isPreview: false, result: 'succeeded' });
  assert.ok(!('planning' in events[2].resourcePreEvent));
});

test('preview marks steps as planning, needs no --yes and refuses --yes like the real CLI', (t) => {
  const { dir, log } = setup(t, { resources: [{ type: 'random:index/randomPet:RandomPet', name: 'pet' }] });
  const args = ['preview', '-s', 'dev', '-C', dir, '--non-interactive', '--event-log', log, '--json'];
  const r = runStandin(args, baseEnv());
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).changeSummary, { create: 1 });
  const events = readEvents(log);
  assert.equal(events[1].resourcePreEvent.planning, true);
  assert.equal(events.at(-2).summaryEvent.isPreview, true);
  const withYes = runStandin([...args, '--yes'], baseEnv());
  assert.equal(withYes.code, 2);
  assert.equal(withYes.stderr, 'error: unknown flag: --yes\n');
});

test('flag errors exit 2 with the real messages', (t) => {
  const { dir, log } = setup(t);
  const env = baseEnv();
  const cases = [
    [['up', '-s', 'dev', '-C', dir, '--non-interactive'],
      'error: --yes or --skip-preview or --preview-only must be passed in to proceed when running in non-interactive mode\n'],
    [['destroy', '-s', 'dev', '-C', dir], 'error: --yes or --skip-preview or --preview-only must be passed in to proceed when running in non-interactive mode\n'],
    [['up', '--yes', '--bogus', '-C', dir], 'error: unknown flag: --bogus\n'],
    [['up', '--yes', '-x', '-C', dir], "error: unknown shorthand flag: 'x' in -x\n"],
    [['up', '--yes', '-C', dir, '--stack'], 'error: flag needs an argument: --stack\n'],
    [['launch', '-C', dir], 'error: unknown command "launch" for "pulumi"\n'],
    [['up', '--yes', '-C', path.join(dir, 'missing')], /changing the working directory/],
    [['up', '--yes', '-C', dir, '--color', 'purple'], /unsupported color option/],
  ];
  for (const [args, message] of cases) {
    const r = runStandin(args, { ...env, STANDIN_RECORD: path.join(dir, 'r.jsonl') });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    if (typeof message === 'string') assert.equal(r.stderr, message);
    else assert.match(r.stderr, message);
  }
  // --event-log exists only with PULUMI_DEBUG_COMMANDS=true.
  const noDebug = runStandin(opArgs('up', dir, log), { PATH: process.env.PATH });
  assert.equal(noDebug.code, 2);
  assert.equal(noDebug.stderr, 'error: unknown flag: --event-log\n');
  assert.equal(existsSync(log), false);
  // Every form of a value flag works; targets filter the steps.
  const ok = runStandin(['refresh', '-sdev', `--cwd=${dir}`, '-y', '--target', 'urn:pulumi:dev::payments::a:b:C::x',
    '-t=urn:pulumi:dev::payments::pulumi:pulumi:Stack::payments-dev', '--event-log', log], env);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(readEvents(log).at(-2).summaryEvent.resourceChanges, { same: 1 });
});

test('scenario exit codes: failed resource, explicit code, stack not found, legacy summary', (t) => {
  const { dir, log } = setup(t);
  const scenarioFile = path.join(dir, 'scenario.json');
  const go = (scenario, op = 'up') => {
    writeFileSync(scenarioFile, JSON.stringify(scenario));
    return runStandin(opArgs(op, dir, log), baseEnv({ STANDIN_SCENARIO: scenarioFile }));
  };
  let r = go({ resources: [{ type: 'a:b:C', name: 'ok' }, { type: 'a:b:C', name: 'bad', fail: true }] });
  assert.equal(r.code, 4);
  let events = readEvents(log);
  assert.deepEqual(events.map(kind).slice(3), ['resourcePreEvent', 'diagnosticEvent', 'resOpFailedEvent',
    'summaryEvent', 'cancelEvent']);
  assert.equal(events[4].diagnosticEvent.urn, 'urn:pulumi:dev::payments::a:b:C::bad');
  assert.equal(events.at(-2).summaryEvent.result, 'failed');
  assert.deepEqual(events.at(-2).summaryEvent.resourceChanges, { create: 1 });

  r = go({ exit_code: 3, stderr: 'error: invalid access token\n' });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /invalid access token/);
  assert.equal(readEvents(log).at(-2).summaryEvent.result, 'failed');

  r = go({ stack_not_found: true });
  assert.equal(r.code, 6);
  assert.equal(r.stderr, "error: no stack named 'acme/payments/dev' found\n");
  assert.equal(readFileSync(log, 'utf8'), '');

  r = go({ legacy_summary: true }, 'destroy');
  assert.equal(r.code, 0);
  const summary = readEvents(log).at(-2).summaryEvent;
  assert.ok(!('result' in summary) && !('isPreview' in summary));

  writeFileSync(scenarioFile, '{not json');
  r = runStandin(opArgs('up', dir, log), baseEnv({ STANDIN_SCENARIO: scenarioFile }));
  assert.equal(r.code, 255);
});

test('a concurrent update is a 409 conflict on stderr with exit 1; a locked stack alike', (t) => {
  const { dir, log } = setup(t, { conflict: true });
  let r = runStandin(opArgs('up', dir, log), baseEnv());
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'error: [409] Conflict: Another update is currently in progress.\n');
  assert.equal(readFileSync(log, 'utf8'), '');
  writeFileSync(path.join(dir, 'standin.json'), JSON.stringify({ locked: true }));
  r = runStandin(opArgs('refresh', dir, log), baseEnv());
  assert.equal(r.code, 1);
  assert.match(r.stderr, /the stack is currently locked by 1 lock\(s\)/);
});

test('stdout_bytes writes exactly that much filler', (t) => {
  const { dir, log } = setup(t, { stdout_bytes: 3_000_000 });
  const r = spawnSync(STANDIN, opArgs('up', dir, log, ['--json']), { env: baseEnv(), maxBuffer: 1 << 24 });
  assert.equal(r.status, 0);
  const json = r.stdout.toString().indexOf('\n}\n') + 3;
  assert.equal(r.stdout.length - json, 3_000_000);
});

// Starts the stand-in; resolves once its event log holds `count` lines.
function startSlow(t, scenario) {
  const { dir, log } = setup(t, scenario);
  const child = spawn(STANDIN, opArgs('up', dir, log), { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  t.after(() => child.kill('SIGKILL'));
  const linesAtLeast = async (count) => {
    for (let i = 0; i < 400; ++i) {
      if (existsSync(log) && readFileSync(log, 'utf8').split('\n').length - 1 >= count) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the event log did not grow');
  };
  return { child, log, exited, linesAtLeast };
}

const slowScenario = {
  sleep_ms_per_step: 300,
  resources: Array.from({ length: 10 }, (_, i) => ({ type: 'a:b:C', name: `r${i}` })),
};

test('one SIGINT cancels gracefully: a canceled summary, cancelEvent last, exit 8', async (t) => {
  const s = startSlow(t, slowScenario);
  await s.linesAtLeast(4);  // prelude, pre, outputs, pre: the log is written while it grows
  s.child.kill('SIGINT');
  const { code, stderr } = await s.exited;
  assert.equal(code, 8);
  assert.match(stderr, /cancelling/);
  assert.match(stderr, /error: update canceled/);
  const events = readEvents(s.log);
  const summary = events.at(-2).summaryEvent;
  assert.equal(summary.result, 'canceled');
  const done = summary.resourceChanges.create;
  assert.ok(done >= 1 && done < 10, `completed ${done} of 10`);
  assert.equal(events.filter((e) => kind(e) === 'resOutputsEvent').length, done);
});

test('a second SIGINT ends it at once without summary or cancelEvent', async (t) => {
  const s = startSlow(t, { ...slowScenario, sleep_ms_per_step: 2000 });
  await s.linesAtLeast(2);
  s.child.kill('SIGINT');
  await new Promise((r) => setTimeout(r, 100));
  s.child.kill('SIGINT');
  const { code } = await s.exited;
  assert.equal(code, 1);
  const kinds = readFileSync(s.log, 'utf8').trim().split('\n').map((l) => kind(JSON.parse(l)));
  assert.ok(!kinds.includes('summaryEvent') && !kinds.includes('cancelEvent'), kinds.join(','));
});

test('ignore_sigint keeps it running until SIGKILL', async (t) => {
  const s = startSlow(t, { ...slowScenario, ignore_sigint: true });
  await s.linesAtLeast(2);
  s.child.kill('SIGINT');
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(s.child.exitCode, null);
  s.child.kill('SIGKILL');
  const { signal } = await s.exited;
  assert.equal(signal, 'SIGKILL');
});

test('records argv, cwd, PULUMI_HOME mode and the environment with secrets hashed', (t) => {
  const { dir, log, record } = setup(t);
  const home = path.join(dir, 'home');
  mkdirSync(home);
  chmodSync(home, 0o700);
  const env = baseEnv({
    STANDIN_RECORD: record, PULUMI_HOME: home, PULUMI_ACCESS_TOKEN: 'pul-secret-token',
    PULUMI_CONFIG_PASSPHRASE: 'hunter2', AWS_SECRET_ACCESS_KEY: 'aws-secret', db_password: 'pw',
    GCP_CREDENTIALS: 'gcp', PULUMI_CI_BUILD_ID: 'run_123', PULUMI_CI_SYSTEM: 'stackgate',
  });
  assert.equal(runStandin(opArgs('up', dir, log), env).code, 0);
  chmodSync(home, 0o755);
  assert.equal(runStandin(['up', '--nope'], env).code, 2);  // refused invocations are recorded too
  const text = readFileSync(record, 'utf8');
  for (const secret of ['pul-secret-token', 'hunter2', 'aws-secret', '"pw"', '"gcp"']) {
    assert.ok(!text.includes(secret), `${secret} is not on disk`);
  }
  const [first, second] = text.trim().split('\n').map((l) => JSON.parse(l));
  const sha = (v) => 'sha256:' + createHash('sha256').update(v).digest('hex');
  assert.deepEqual(first.argv, opArgs('up', dir, log));
  assert.equal(first.cwd, dir);
  assert.equal(first.env.PULUMI_ACCESS_TOKEN, sha('pul-secret-token'));
  assert.equal(first.env.PULUMI_CONFIG_PASSPHRASE, sha('hunter2'));
  assert.equal(first.env.AWS_SECRET_ACCESS_KEY, sha('aws-secret'));
  assert.equal(first.env.db_password, sha('pw'));
  assert.equal(first.env.GCP_CREDENTIALS, sha('gcp'));
  assert.equal(first.env.PULUMI_CI_BUILD_ID, 'run_123');
  assert.equal(first.env.PULUMI_CI_SYSTEM, 'stackgate');
  assert.deepEqual(first.pulumi_home, { path: home, exists: true, mode: '0700', is_0700: true });
  assert.deepEqual(second.argv, ['up', '--nope']);
  assert.equal(second.pulumi_home.mode, '0755');
  assert.equal(second.pulumi_home.is_0700, false);
});

test('without STANDIN_RECORD the record goes to <cwd>/.standin-record.json', (t) => {
  const { dir, log } = setup(t);
  assert.equal(runStandin(opArgs('preview', dir, log).filter((a) => a !== '--yes'), baseEnv()).code, 0);
  const entry = JSON.parse(readFileSync(path.join(dir, '.standin-record.json'), 'utf8'));
  assert.equal(entry.pulumi_home.path, null);
});
