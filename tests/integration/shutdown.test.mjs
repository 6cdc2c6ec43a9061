// Graceful shutdown: stop accepting, close idle connections, finish what is in flight.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RawConnection, connectRefused, startGateway } from './helpers/gateway.mjs';

// A connection the server has certainly accepted: one full request answered on it.
async function acceptedConnection(gw) {
  const c = new RawConnection(gw.port);
  await c.connected();
  await c.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.equal((await c.readResponse()).status, 200);
  return c;
}

async function until(pred, what) {
  for (let i = 0; i < 200; i++) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('graceful shutdown', () => {
  it('a request in flight during SIGTERM completes, then the process exits 0', async () => {
    const gw = await startGateway({ server: '  shutdown_grace: 20s\n  read_timeout: 20s' });
    const c = await acceptedConnection(gw);
    // Half a request: the body is still on its way when the signal arrives.
    await c.write('GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345');
    gw.proc.kill('SIGTERM');
    await gw.waitForLog((l) => l.msg === 'shutdown requested' && l.signal === 'SIGTERM');
    await until(() => connectRefused(gw.port), 'the listener to close');
    await c.write('67890');
    const res = await c.readResponse();
    assert.equal(res.status, 200);
    assert.equal(res.headers.connection, 'close');
    assert.equal(res.body, '{"status":"ok"}');
    const exit = await gw.stop();
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.ok(gw.logs.some((l) => l.msg === 'stopped' && l.clean === true));
  });

  it('closes idle kept-alive connections at once instead of waiting for them', async () => {
    const gw = await startGateway({ server: '  shutdown_grace: 30s\n  idle_timeout: 60s' });
    const c = new RawConnection(gw.port);
    await c.connected();
    await c.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal((await c.readResponse()).status, 200);
    const exit = await gw.stop('SIGINT');
    assert.deepEqual(exit, { code: 0, signal: null });
    await c.closed;
    assert.ok(gw.logs.some((l) => l.msg === 'shutdown requested' && l.signal === 'SIGINT'));
  });

  it('gives up on a request that outlives shutdown_grace and exits 1', async () => {
    const gw = await startGateway({ server: '  shutdown_grace: 300ms\n  read_timeout: 30s' });
    const c = await acceptedConnection(gw);
    await c.write('GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n123');
    const exit = await gw.stop();
    assert.deepEqual(exit, { code: 1, signal: null });
    assert.ok(gw.logs.some((l) => l.msg === 'stopped' && l.clean === false));
    c.close();
  });
});
