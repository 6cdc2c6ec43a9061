// Audit sinks, black-box: the real gateway copies every committed event to a file (rotated with
// SIGHUP) and to an HTTP webhook (a real Node HTTP server) — down at first, then up — and nothing
// is lost, duplicated or reordered.
import assert from 'node:assert/strict';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { issuersYaml, request, waitFor } from './helpers/auth.mjs';
import { PULUMI_STANDIN, startGateway, tempDir } from './helpers/gateway.mjs';
import { es256Key, signEs256 } from './helpers/jws.mjs';

const ISSUER = 'https://idp.example.test';
const POLICY = `roles:
  - name: reader
    rules:
      - allow: [read]
        stacks: ["*"]
bindings:
  - { roles: [reader], when: { issuer: corp } }
`;

function config(dir, key, sinks) {
  writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify({ keys: [key.jwk] }));
  writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
  return `policy: ./policy.yaml
pulumi: { command: ${JSON.stringify(PULUMI_STANDIN)} }
audit:
  sinks:
${sinks.map((s) => `    - ${s}`).join('\n')}
${issuersYaml([{
    name: 'corp', kind: 'jwks', issuer: ISSUER, jwks_file: './jwks.json', audiences: ['stackgate'],
    algorithms: ['ES256'],
  }])}projects:
  - org: acme
    name: payments
    dir: .
    stacks:
      - { name: dev }
`;
}

function token(key) {
  const now = Math.floor(Date.now() / 1000);
  return signEs256({ iss: ISSUER, aud: 'stackgate', sub: 'alice', iat: now, exp: now + 600 }, key);
}

async function decide(gw, tok, id) {
  const res = await request(`${gw.url}/v1/authorize`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json', 'x-request-id': id },
    body: JSON.stringify({ action: 'read', stack: 'acme/payments/dev' }),
  });
  assert.equal(res.status, 200, res.body);
}

const lines = (file) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

// A port nothing listens on (yet).
async function freePort() {
  const srv = net.createServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

describe('audit sinks', () => {
  const tmp = tempDir();
  const key = es256Key('corp-1');
  let gw;
  let port;
  let receiver;
  const received = [];   // every event body the webhook received, in arrival order
  const requests = [];   // { first, last, auth, type }

  before(async () => {
    port = await freePort();
    process.env.SG_IT_WEBHOOK_TOKEN = 'webhook-secret-value';
    gw = await startGateway({
      dir: tmp.dir,
      rest: config(tmp.dir, key, [
        '{ file: { path: ./audit.jsonl } }',
        `{ webhook: { url: "http://127.0.0.1:${port}/ingest", token: { env: SG_IT_WEBHOOK_TOKEN }, batch: 4, timeout: 2s } }`,
      ]),
    });
  });
  after(async () => {
    await gw?.stop();
    await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve()));
    delete process.env.SG_IT_WEBHOOK_TOKEN;
    tmp.cleanup();
  });

  test('the file sink gets every event as one canonical JSON line, and rotates on SIGHUP', async () => {
    const tok = token(key);
    for (let i = 0; i < 5; i++) await decide(gw, tok, `file-a-${i}`);
    const file = path.join(tmp.dir, 'audit.jsonl');
    await waitFor(() => lines(file).filter((e) => e.request?.id?.startsWith('file-a-')).length === 5, { what: 'five lines' });
    renameSync(file, `${file}.1`);
    gw.proc.kill('SIGHUP');
    await gw.waitForLog((l) => l.msg === 'policy reloaded');
    for (let i = 0; i < 3; i++) await decide(gw, tok, `file-b-${i}`);
    await waitFor(() => {
      try { return lines(file).filter((e) => e.request?.id?.startsWith('file-b-')).length === 3; } catch { return false; }
    }, { what: 'three lines in the new file' });
    const old = lines(`${file}.1`);
    const fresh = lines(file);
    assert.ok(old.every((e) => !e.request?.id?.startsWith('file-b-')));
    // Together, the two files hold seq 1..N exactly once, in order.
    const seqs = [...old, ...fresh].map((e) => e.seq);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1));
    // Each line is the stored canonical body: the hash is there and the text has no spaces.
    const text = readFileSync(file, 'utf8').split('\n')[0];
    assert.ok(!text.includes(' "') && /"hash":"[0-9a-f]{64}"/.test(text));
  });

  test('a webhook that is down, then up, gets every event once and in order, batched, with its token', async () => {
    const tok = token(key);
    for (let i = 0; i < 6; i++) await decide(gw, tok, `hook-${i}`);
    // The receiver is down: the gateway keeps answering, and says the sink is behind.
    const ready = JSON.parse((await request(`${gw.url}/readyz`)).body);
    assert.equal(ready.status, 'ready');
    await waitFor(async () => {
      const r = JSON.parse((await request(`${gw.url}/readyz`)).body);
      return r.checks.audit_sinks?.warning?.startsWith(`webhook:http://127.0.0.1:${port}/ingest failing`);
    }, { what: 'the webhook sink to report failing' });

    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        const events = body.split('\n').filter(Boolean).map((l) => JSON.parse(l));
        requests.push({
          auth: req.headers.authorization, type: req.headers['content-type'],
          first: Number(req.headers['x-stackgate-first-seq']), last: Number(req.headers['x-stackgate-last-seq']),
          count: events.length,
        });
        received.push(...events);
        res.writeHead(204).end();
      });
    });
    await new Promise((resolve) => receiver.listen(port, '127.0.0.1', resolve));

    const head = async () => {
      const m = (await request(`${gw.url}/metrics`)).body.match(/^stackgate_audit_head_seq (\d+)$/m);
      return Number(m[1]);
    };
    await waitFor(async () => received.length > 0 && received.at(-1).seq === await head(), { what: 'the webhook to catch up' });
    const seqs = received.map((e) => e.seq);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => seqs[0] + i));
    assert.equal(seqs[0], 1);
    assert.ok(received.filter((e) => e.request?.id?.startsWith('hook-')).length === 6);
    for (const r of requests) {
      assert.equal(r.auth, 'Bearer webhook-secret-value');
      assert.equal(r.type, 'application/x-ndjson');
      assert.ok(r.count >= 1 && r.count <= 4, `batch of ${r.count}`);
      assert.equal(r.last - r.first + 1, r.count);
    }
    // The token never reaches the gateway's log.
    assert.ok(!gw.stderr.includes('webhook-secret-value'));
    const after = JSON.parse((await request(`${gw.url}/readyz`)).body);
    assert.equal(after.checks.audit_sinks.warning, undefined);
  });
});
