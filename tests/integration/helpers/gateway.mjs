// Starts the real stackgate binary for integration tests and talks to it.
//
// Every gateway gets its own temporary directory (config, store), listens on a free loopback port
// (port 0; the port is read from the "listening" log line) and is stopped by the test that started it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const BIN = process.env.STACKGATE_BIN ??
  path.resolve(new URL('.', import.meta.url).pathname, '../../../build/release/stackgate');

// The Pulumi CLI stand-in (tests/pulumi-standin/pulumi): gateways with projects need a `pulumi`
// command to be ready, and this is the one the tests run.
export const PULUMI_STANDIN =
  path.resolve(new URL('.', import.meta.url).pathname, '../../pulumi-standin/pulumi');

// A fresh temporary directory, removed by the returned cleanup function.
export function tempDir(prefix = 'sg-it-') {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// Runs `stackgate ...args` to completion; returns { code, stdout, stderr }.
export function runCli(args, options = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 30_000, ...options });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BASE_CONFIG = (extra) => `server:
  listen: "127.0.0.1:${extra.port ?? 0}"
${extra.port ? `  public_url: "http://127.0.0.1:${extra.port}"\n` : ''}  threads: 2
${extra.server ?? ''}
store: ${extra.store ?? '"sqlite://./data/stackgate.db"'}
${extra.rest ?? ''}`;

// A TCP port free on loopback right now (for a gateway whose public_url must name its port).
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Starts a gateway. options.port: listen on this port with public_url naming it (default: any
// port, and the default public_url); options.server: extra indented lines under `server:`; options.store: the
// `store:` value (YAML); options.rest: more
// top-level YAML; options.args: replaces the serve arguments (e.g. for --dev); options.dir: reuse a
// directory (the caller then cleans it up); options.env: variables added to the gateway's
// environment.
export async function startGateway(options = {}) {
  const owned = options.dir === undefined;
  const dir = options.dir ?? tempDir().dir;
  const configPath = path.join(dir, 'stackgate.yaml');
  let args = options.args;
  if (!args) {
    writeFileSync(configPath, BASE_CONFIG(options));
    args = ['serve', '--config', configPath];
  }
  const proc = spawn(BIN, args, {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(options.env ?? {}) },
  });
  const gw = {
    dir, configPath, proc, logs: [], stderr: '', stdout: '', port: 0,
    exited: new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  let pending = '';
  proc.stdout.on('data', (d) => { gw.stdout += d; });
  const listening = new Promise((resolve, reject) => {
    proc.stderr.on('data', (d) => {
      gw.stderr += d;
      pending += d;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line);
        gw.logs.push(entry);
        if (entry.msg === 'listening') resolve(entry.port);
      }
    });
    gw.exited.then(({ code }) => reject(new Error(`stackgate exited (${code}) before listening:\n${gw.stderr}`)));
  });
  const timeout = new Promise((_, reject) => {
    const t = setTimeout(() => reject(new Error(`stackgate did not listen within 20s:\n${gw.stderr}`)), 20_000);
    t.unref();
  });
  try {
    gw.port = await Promise.race([listening, timeout]);
  } catch (e) {
    proc.kill('SIGKILL');
    if (owned) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  gw.url = `http://127.0.0.1:${gw.port}`;
  // Stops the gateway with `signal` and resolves to its exit { code, signal }.
  gw.stop = async (signal = 'SIGTERM') => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    const result = await gw.exited;
    if (owned) rmSync(dir, { recursive: true, force: true });
    return result;
  };
  // Resolves when a log line satisfying `pred` has been written (log lines are flushed within 100ms).
  gw.waitForLog = (pred, ms = 5000) => new Promise((resolve, reject) => {
    const found = gw.logs.find(pred);
    if (found) return resolve(found);
    const t = setTimeout(() => { proc.stderr.off('data', check); reject(new Error('log line not seen')); }, ms);
    const check = () => {
      const hit = gw.logs.find(pred);
      if (hit) { clearTimeout(t); proc.stderr.off('data', check); resolve(hit); }
    };
    proc.stderr.on('data', check);
  });
  return gw;
}

// A raw TCP connection for sending exact bytes and reading exact responses.
export class RawConnection {
  constructor(port) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.buffer = Buffer.alloc(0);
    this.closed = new Promise((resolve) => this.socket.on('close', resolve));
    this.socket.on('error', () => {});
    this.waiters = [];
    this.socket.on('data', (d) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.#wake();
    });
    this.socket.on('close', () => { this.ended = true; this.#wake(); });
  }
  connected() {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
  }
  write(data) { return new Promise((resolve) => this.socket.write(data, resolve)); }
  #wake() { for (const w of this.waiters.splice(0)) w(); }
  #more() { return new Promise((resolve) => this.waiters.push(resolve)); }

  // Reads one HTTP/1.1 response with a Content-Length; resolves to {status, headers, body}, or
  // null if the connection closed first.
  async readResponse() {
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end >= 0) {
        const head = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
        const status = Number(head[0].split(' ')[1]);
        const headers = {};
        for (const line of head.slice(1)) {
          const i = line.indexOf(':');
          headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
        }
        const length = Number(headers['content-length'] ?? 0);
        while (this.buffer.length < end + 4 + length && !this.ended) await this.#more();
        const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
        this.buffer = this.buffer.subarray(end + 4 + length);
        return { status, headers, body };
      }
      if (this.ended) return null;
      await this.#more();
    }
  }
  close() { this.socket.destroy(); }
}

// True once nothing accepts connections on `port`.
export function connectRefused(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(false); });
    s.on('error', (e) => resolve(e.code === 'ECONNREFUSED'));
  });
}
