// The command line: help, version, check's error report, serve's argument errors and dev mode.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli, startGateway, tempDir } from './helpers/gateway.mjs';

describe('stackgate CLI', () => {
  it('version prints the version and commit', () => {
    const r = runCli(['version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^stackgate \d+\.\d+\.\d+ \(commit ([0-9a-f]{12}|unknown), (Release|Debug|RelWithDebInfo)(, sanitizers)?\)\n$/);
  });

  for (const sub of [[], ['serve'], ['check'], ['policy'], ['policy', 'eval'], ['policy', 'test'],
    ['audit'], ['audit', 'verify'], ['audit', 'keys'], ['audit', 'export'], ['version']]) {
    it(`${['stackgate', ...sub].join(' ')} --help exits 0 and describes itself`, () => {
      const r = runCli([...sub, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /Usage:|OPTIONS|Options/);
    });
  }

  it('an unknown subcommand is an error on stderr with a non-zero exit', () => {
    const r = runCli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^stackgate: unknown command 'frobnicate'; commands: serve, check, token, policy, audit, keys, version\n/);
    assert.equal(r.stdout, '');
  });

  it('no subcommand is an error', () => {
    const r = runCli([]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /subcommand/i);
  });

  it('check on a broken config prints every error as file:line:column and exits 1', () => {
    const t = tempDir();
    try {
      const file = path.join(t.dir, 'stackgate.yaml');
      writeFileSync(file, [
        'server:',
        '  listen: "127.0.0.1:7070"',
        '  thraeds: 4',
        '  read_timeout: 10',
        'stroe: "sqlite://./x.db"',
        '',
      ].join('\n'));
      const r = runCli(['check', '--config', file]);
      assert.equal(r.code, 1);
      const lines = r.stderr.trim().split('\n');
      assert.ok(lines.some((l) => l.startsWith(`${file}:3:3: `) && l.includes("did you mean 'threads'")), r.stderr);
      assert.ok(lines.some((l) => l.startsWith(`${file}:4:17: `) && l.includes('duration')), r.stderr);
      assert.ok(lines.some((l) => l.startsWith(`${file}:5:1: `) && l.includes("did you mean 'store'")), r.stderr);
      assert.equal(r.stdout, '');
    } finally {
      t.cleanup();
    }
  });

  it('check on a YAML syntax error names the position', () => {
    const t = tempDir();
    try {
      const file = path.join(t.dir, 'bad.yaml');
      writeFileSync(file, 'server:\n  listen: [unclosed\n');
      const r = runCli(['check', '--config', file]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `, 'm'));
    } finally {
      t.cleanup();
    }
  });

  it('check on a missing file says so and exits 1', () => {
    const r = runCli(['check', '--config', '/nonexistent/stackgate.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\/nonexistent\/stackgate\.yaml/);
  });

  it('check on a valid config prints OK and exits 0', () => {
    const t = tempDir();
    try {
      const file = path.join(t.dir, 'stackgate.yaml');
      writeFileSync(file, 'server:\n  listen: "127.0.0.1:7070"\nstore: "sqlite://./data/sg.db"\n');
      const r = runCli(['check', '--config', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${file}: OK\n`);
    } finally {
      t.cleanup();
    }
  });

  it('check --resolve-secrets reports an unset environment secret without its value', () => {
    const t = tempDir();
    try {
      mkdirSync(path.join(t.dir, 'infra'));
      const file = path.join(t.dir, 'stackgate.yaml');
      writeFileSync(file, [
        'catalog:',
        '  backstage_url: "http://localhost:7007"',
        '  token: { env: SG_IT_UNSET_SECRET }',
        '',
      ].join('\n'));
      assert.equal(runCli(['check', '--config', file]).code, 0);
      const r = runCli(['check', '--config', file, '--resolve-secrets'], { env: { PATH: process.env.PATH } });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /catalog\.token: .*SG_IT_UNSET_SECRET/);
    } finally {
      t.cleanup();
    }
  });

  it('serve needs exactly one of --config and --dev', () => {
    assert.equal(runCli(['serve']).code, 2);
    assert.match(runCli(['serve']).stderr, /exactly one of --config FILE or --dev/);
    assert.equal(runCli(['serve', '--dev', '--config', 'x.yaml']).code, 2);
  });

  it('serve --dev refuses a non-loopback listener', () => {
    const r = runCli(['serve', '--dev', '--listen', '0.0.0.0:7070']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /loopback only/);
  });

  it('serve --config on a broken config exits 1 with the errors', () => {
    const t = tempDir();
    try {
      const file = path.join(t.dir, 'stackgate.yaml');
      writeFileSync(file, 'server:\n  threads: many\n');
      const r = runCli(['serve', '--config', file]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`stackgate\\.yaml:2:12: `));
    } finally {
      t.cleanup();
    }
  });

  it('serve --dev prints the insecure banner and serves /healthz on loopback', async () => {
    const gw = await startGateway({ args: ['serve', '--dev', '--listen', '127.0.0.1:0'] });
    try {
      assert.match(gw.stderr, /DEVELOPMENT MODE - INSECURE/);
      assert.ok(gw.logs.some((l) => l.level === 'warn' && l.msg === 'development mode - insecure'));
      const res = await fetch(`${gw.url}/healthz`);
      assert.equal(res.status, 200);
    } finally {
      await gw.stop();
    }
  });
});
