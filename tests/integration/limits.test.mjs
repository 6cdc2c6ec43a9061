// Limits and hostile clients: body and header size, malformed HTTP, slow clients, keep-alive.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RawConnection, startGateway } from './helpers/gateway.mjs';

describe('limits and timeouts', () => {
  let gw;
  before(async () => {
    gw = await startGateway({
      server: [
        '  max_body_bytes: 1024',
        '  max_header_bytes: 2048',
        '  read_timeout: 1s',
        '  idle_timeout: 30s',
      ].join('\n'),
    });
  });
  after(async () => { await gw.stop(); });

  it('answers 413 when the declared body is larger than max_body_bytes', async () => {
    const c = new RawConnection(gw.port);
    await c.connected();
    await c.write('POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n' + 'a'.repeat(100));
    const res = await c.readResponse();
    assert.equal(res.status, 413);
    assert.equal(res.headers.connection, 'close');
    assert.deepEqual(JSON.parse(res.body), { error: { code: 'payload_too_large', message: 'request body is too large' } });
    await c.closed;
  });

  it('answers 413 when a chunked body grows past max_body_bytes', async () => {
    const c = new RawConnection(gw.port);
    await c.connected();
    const chunk = 'b'.repeat(800);
    await c.write('POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n' +
      `320\r\n${chunk}\r\n320\r\n${chunk}\r\n0\r\n\r\n`);
    const res = await c.readResponse();
    assert.equal(res.status, 413);
    await c.closed;
  });

  it('accepts a body at exactly max_body_bytes (then routes it)', async () => {
    const res = await fetch(`${gw.url}/healthz`, { method: 'POST', body: 'c'.repeat(1024) });
    assert.equal(res.status, 405);
  });

  it('answers 431 when the headers are larger than max_header_bytes', async () => {
    const c = new RawConnection(gw.port);
    await c.connected();
    await c.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(3000)}\r\n\r\n`);
    const res = await c.readResponse();
    assert.equal(res.status, 431);
    assert.equal(JSON.parse(res.body).error.code, 'headers_too_large');
    await c.closed;
  });

  for (const [name, bytes] of [
    ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n'],
    ['a header line without a colon', 'GET /healthz HTTP/1.1\r\nHost x\r\n\r\n'],
    ['an unknown HTTP version', 'GET /healthz HTTP/7.1\r\nHost: x\r\n\r\n'],
    ['a non-numeric Content-Length', 'POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n'],
    ['a bad chunk size', 'POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
  ]) {
    it(`answers 400 to ${name} and closes`, async () => {
      const c = new RawConnection(gw.port);
      await c.connected();
      await c.write(bytes);
      const res = await c.readResponse();
      assert.equal(res.status, 400);
      assert.deepEqual(JSON.parse(res.body), { error: { code: 'malformed_request', message: 'malformed HTTP request' } });
      await c.closed;
    });
  }

  it('closes a slowloris connection after read_timeout while serving other clients', async () => {
    const slow = new RawConnection(gw.port);
    await slow.connected();
    await slow.write('GET /healthz HTTP/1.1\r\n');
    // Drip one header byte every 100ms for up to 10s; the server must hang up long before.
    let dripped = 0;
    let closed = false;
    slow.closed.then(() => { closed = true; });
    const served = [];
    while (!closed && dripped < 100) {
      await new Promise((r) => setTimeout(r, 100));
      if (closed) break;
      await slow.write('X');
      dripped++;
      if (dripped % 3 === 0) served.push((await fetch(`${gw.url}/healthz`)).status);
    }
    assert.equal(closed, true, 'the slow connection was not closed');
    assert.ok(dripped < 100, `closed only after ${dripped} drips`);
    assert.ok(served.length >= 1);
    assert.ok(served.every((s) => s === 200), `others got ${served}`);
    assert.equal(await slow.readResponse(), null, 'a slow client gets no answer, only a closed connection');
    const line = await gw.waitForLog((l) => l.msg === 'connection closed' && l.reason === 'read timeout');
    assert.equal(line.remote_ip, '127.0.0.1');
  });

  it('serves many requests on one kept-alive connection', async () => {
    const c = new RawConnection(gw.port);
    await c.connected();
    for (let i = 0; i < 200; i++) {
      await c.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: ka-${i}\r\n\r\n`);
      const res = await c.readResponse();
      assert.equal(res.status, 200);
      assert.equal(res.headers['x-request-id'], `ka-${i}`);
      assert.equal(res.body, '{"status":"ok"}');
    }
    // Pipelined: three requests in one write, three answers in order.
    await c.write(['a', 'b', 'c'].map((id) => `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: p-${id}\r\n\r\n`).join(''));
    for (const id of ['a', 'b', 'c']) assert.equal((await c.readResponse()).headers['x-request-id'], `p-${id}`);
    assert.equal(c.ended, undefined);
    c.close();
  });

  it('honours Connection: close', async () => {
    const c = new RawConnection(gw.port);
    await c.connected();
    await c.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const res = await c.readResponse();
    assert.equal(res.status, 200);
    assert.equal(res.headers.connection, 'close');
    await c.closed;
  });
});

describe('idle timeout', () => {
  it('closes a kept-alive connection that sends nothing for idle_timeout', async () => {
    const gw = await startGateway({ server: '  idle_timeout: 500ms' });
    try {
      const c = new RawConnection(gw.port);
      await c.connected();
      await c.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      assert.equal((await c.readResponse()).status, 200);
      await c.closed;  // resolves only because the server closed the idle connection
      assert.equal(c.ended, true);
    } finally {
      await gw.stop();
    }
  });
});
