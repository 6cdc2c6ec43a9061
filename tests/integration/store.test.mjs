// The SQLite store as the running gateway uses it: private data folder, migrations, refusing a
// database from a newer stackgate.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startGateway, tempDir } from './helpers/gateway.mjs';

function sqlite(db, sql) {
  const r = spawnSync('sqlite3', [db, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

describe('store', () => {
  it('creates the data folder with mode 0700 and a migrated database', async () => {
    const t = tempDir();
    try {
      const gw = await startGateway({ dir: t.dir });
      const data = path.join(t.dir, 'data');
      assert.equal(statSync(data).mode & 0o777, 0o700);
      assert.equal(statSync(path.join(data, 'stackgate.db')).mode & 0o777, 0o600);
      assert.deepEqual(await gw.stop(), { code: 0, signal: null });
      const version = Number(sqlite(path.join(data, 'stackgate.db'), 'SELECT MAX(version) FROM schema_version;'));
      assert.ok(version >= 1);
      assert.ok(gw.logs.some((l) => l.msg === 'store opened' && l.schema_version === version));
    } finally {
      t.cleanup();
    }
  });

  it('refuses to start on a database written by a newer stackgate', async () => {
    const t = tempDir();
    try {
      const gw = await startGateway({ dir: t.dir });
      await gw.stop();
      const db = path.join(t.dir, 'data', 'stackgate.db');
      sqlite(db, "INSERT INTO schema_version(version, applied_at, description) VALUES (999, '2030-01-01T00:00:00Z', 'from the future');");
      await assert.rejects(startGateway({ dir: t.dir }), /exited \(1\) before listening[\s\S]*999/);
    } finally {
      t.cleanup();
    }
  });
});
