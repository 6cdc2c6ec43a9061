// Health, readiness, metrics, request ids and the access log, against the real binary.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway } from './helpers/gateway.mjs';

describe('operations endpoints', () => {
  let gw;
  before(async () => { gw = await startGateway(); });
  after(async () => { await gw.stop(); });

  it('GET /healthz answers 200 {"status":"ok"} with a generated request id', async () => {
    const res = await fetch(`${gw.url}/healthz`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.match(res.headers.get('x-request-id'), /^[0-9a-f]{32}$/);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  it('HEAD /healthz sends the headers of GET and no body', async () => {
    const res = await fetch(`${gw.url}/healthz`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String('{"status":"ok"}'.length));
    assert.equal(await res.text(), '');
  });

  it('echoes an acceptable X-Request-Id and replaces an unacceptable one', async () => {
    const mine = await fetch(`${gw.url}/healthz`, { headers: { 'X-Request-Id': 'req-42.abc' } });
    assert.equal(mine.headers.get('x-request-id'), 'req-42.abc');
    const hostile = await fetch(`${gw.url}/healthz`, { headers: { 'X-Request-Id': 'a"b\\c' } });
    assert.match(hostile.headers.get('x-request-id'), /^[0-9a-f]{32}$/);
    const long = await fetch(`${gw.url}/healthz`, { headers: { 'X-Request-Id': 'x'.repeat(129) } });
    assert.match(long.headers.get('x-request-id'), /^[0-9a-f]{32}$/);
  });

  it('GET /readyz is 200 with the store, audit and issuer checks passing, and warns of a missing policy', async () => {
    const res = await fetch(`${gw.url}/readyz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      status: 'ready',
      checks: {
        store: { ok: true },
        audit: { ok: true },
        issuers: { ok: true },
        policy: { ok: true, warning: 'no policy configured: every request is denied' },
      },
    });
  });

  it('GET /metrics counts requests by route and status, with latency, in-flight and build info', async () => {
    for (let i = 0; i < 3; i++) await (await fetch(`${gw.url}/healthz`)).text();
    await (await fetch(`${gw.url}/no/such/thing`)).text();
    const res = await fetch(`${gw.url}/metrics`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    const healthz = Number(text.match(/^stackgate_http_requests_total\{route="\/healthz",status="200"\} (\d+)$/m)[1]);
    assert.ok(healthz >= 3, `healthz count ${healthz}`);
    assert.match(text, /^stackgate_http_requests_total\{route="unmatched",status="404"\} 1$/m);
    assert.match(text, /^stackgate_http_request_duration_seconds_bucket\{route="\/healthz",le="\+Inf"\} \d+$/m);
    assert.match(text, /^stackgate_http_request_duration_seconds_count\{route="\/healthz"\} \d+$/m);
    assert.match(text, /^# TYPE stackgate_http_request_duration_seconds histogram$/m);
    // This very request is in flight while the metrics are rendered.
    assert.match(text, /^stackgate_http_requests_in_flight 1$/m);
    assert.match(text, /^stackgate_build_info\{version="\d+\.\d+\.\d+",commit="[^"]+"\} 1$/m);
  });

  it('writes one JSON access-log line per request, without the Authorization header or query', async () => {
    const secret = 'Bearer super-secret-token-value';
    const res = await fetch(`${gw.url}/healthz?token=query-secret`, {
      headers: { Authorization: secret, 'X-Request-Id': 'access-log-probe' },
    });
    assert.equal(res.status, 200);
    const line = await gw.waitForLog((l) => l.msg === 'request' && l.request_id === 'access-log-probe');
    assert.equal(line.method, 'GET');
    assert.equal(line.route, '/healthz');
    assert.equal(line.status, 200);
    assert.equal(typeof line.duration_ms, 'number');
    assert.equal(line.remote_ip, '127.0.0.1');
    assert.ok(!gw.stderr.includes('super-secret-token-value'));
    assert.ok(!gw.stderr.includes('query-secret'));
  });
});
