// A real Backstage backend (auth backend with the guest provider, catalog backend, in-memory
// better-sqlite3) for integration tests, started as a child process from ./backstage/index.js.
//
// startBackstage() picks a free loopback port, starts the backend and waits (at most `readyMs`)
// until its auth backend answers; if it does not, it fails with the backend's output. stop() ends
// the child (SIGTERM, then SIGKILL). See ../../../../shared/reference/test-peers.md.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { decodeJwt, request, waitFor } from '../helpers/auth.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BACKEND_DIR = path.join(HERE, 'backstage');
const PACKAGES_ROOT = path.resolve(HERE, '..');

// True when the Backstage packages are installed (tests skip with a reason otherwise).
export function backstageInstalled() {
  const need = ['@backstage/backend-defaults', '@backstage/plugin-auth-backend',
    '@backstage/plugin-auth-backend-module-guest-provider', '@backstage/plugin-catalog-backend',
    'better-sqlite3'];
  return need.every((p) => existsSync(path.join(PACKAGES_ROOT, 'node_modules', p, 'package.json')));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Derives a Backstage limited user token from a user token, as Backstage itself does: the user
// token's `uip` claim is the signature over this exact header and payload (member order matters).
export function limitedToken(userToken) {
  const { header, payload } = decodeJwt(userToken);
  if (typeof payload.uip !== 'string') throw new Error('the user token has no uip claim');
  const h = JSON.stringify({ typ: 'vnd.backstage.limited-user', alg: header.alg, kid: header.kid });
  const p = JSON.stringify({ sub: payload.sub, iat: payload.iat, exp: payload.exp });
  return `${Buffer.from(h).toString('base64url')}.${Buffer.from(p).toString('base64url')}.${payload.uip}`;
}

export async function startBackstage({ readyMs = 60_000 } = {}) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath,
    [path.join(BACKEND_DIR, 'index.js'), '--config', path.join(BACKEND_DIR, 'app-config.yaml')], {
      cwd: PACKAGES_ROOT,
      env: { ...process.env, PORT: String(port), NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  let output = '';
  const keep = (d) => { output = (output + d).slice(-20_000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  exited.then(() => { gone = true; });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (gone) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };

  const guestIdentity = async () => {
    const res = await request(`${baseUrl}/api/auth/guest/refresh?env=development`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    if (res.status !== 200) throw new Error(`guest refresh: HTTP ${res.status} ${res.body}`);
    const { backstageIdentity } = res.json();
    return {
      token: backstageIdentity.token,
      userEntityRef: backstageIdentity.identity.userEntityRef,
      ownershipRefs: backstageIdentity.identity.ownershipEntityRefs,
    };
  };

  try {
    await waitFor(async () => {
      if (gone) throw Object.assign(new Error('exited'), { fatal: true });
      return (await guestIdentity()).token.length > 0;
    }, { timeoutMs: readyMs, intervalMs: 300, what: 'Backstage readiness' });
  } catch (e) {
    await stop();
    throw new Error(`Backstage did not become ready (${e.message}); its output:\n${output}`);
  }
  if (gone) {
    throw new Error(`Backstage exited during start-up; its output:\n${output}`);
  }

  const bs = {
    baseUrl,
    authIssuer: `${baseUrl}/api/auth`,
    jwksUri: `${baseUrl}/api/auth/.well-known/jwks.json`,
    ownershipRefs: [],
    // The guest user's Backstage token (and, as a side effect, bs.ownershipRefs).
    async guestToken() {
      const id = await guestIdentity();
      bs.ownershipRefs = id.ownershipRefs;
      return id.token;
    },
    guestIdentity,
    limitedToken,
    output: () => output,
    stop,
  };
  return bs;
}
