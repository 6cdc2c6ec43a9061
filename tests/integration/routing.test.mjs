// The static route table: 404 for unknown paths, 405 with Allow for known paths under other methods.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway } from './helpers/gateway.mjs';

describe('routing', () => {
  let gw;
  before(async () => { gw = await startGateway(); });
  after(async () => { await gw.stop(); });

  it('answers 404 with the error shape for an unknown path', async () => {
    const res = await fetch(`${gw.url}/v1/nothing-here`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: { code: 'not_found', message: 'no such endpoint' } });
  });

  it('does not treat a percent-encoded slash or a trailing slash as the route', async () => {
    assert.equal((await fetch(`${gw.url}/healthz/`)).status, 404);
    assert.equal((await fetch(`${gw.url}/health%7A`)).status, 404);
  });

  it('answers 405 with Allow for a known path under another method', async () => {
    const res = await fetch(`${gw.url}/healthz`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
    const body = await res.json();
    assert.equal(body.error.code, 'method_not_allowed');
    assert.equal(body.error.message, 'method not allowed here; allowed: GET, HEAD');
  });

  it('answers 405 for DELETE on /metrics and keeps the connection usable', async () => {
    const res = await fetch(`${gw.url}/metrics`, { method: 'DELETE' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
    assert.equal((await fetch(`${gw.url}/healthz`)).status, 200);
  });
});
