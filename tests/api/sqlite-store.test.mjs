// The Node host's SQLite store shared by two connections, as the server and
// the job worker share it: compare-and-set commits racing each other from two
// threads all land or lose by version (false), never fail with SQLite's busy
// errors, and a counter both sides increment by read-then-commit ends exact.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

import { SqliteStore } from '../../edge/hosts/node/sqlite-store.mjs';

const COMMITS = 3000;
const INCREMENTS = 400;

function side({ file, name }) {
  const store = new SqliteStore(file);
  try {
    // New keys (expect 0: the transaction reads before it writes), each with a job.
    for (let i = 0; i < COMMITS; i++) {
      assert.equal(store.commit([{ key: `${name}:${i}`, expect: 0, value: new Uint8Array([i & 255]) }],
        [{ kind: 'noop', i }]), true);
    }
    // A shared counter: read, then commit at the version read; retry when it lost.
    let lost = 0;
    for (let i = 0; i < INCREMENTS; i++) {
      for (;;) {
        const seen = store.getMany(['counter']).get('counter');
        const value = Number(new TextDecoder().decode(seen.value)) + 1;
        if (store.commit([{ key: 'counter', expect: seen.version, value: new TextEncoder().encode(String(value)) }])) break;
        lost++;
      }
    }
    return { ok: true, lost };
  } catch (error) {
    return { ok: false, error: `${error.code ?? ''} ${error.message}` };
  } finally {
    store.close();
  }
}

if (!isMainThread) {
  parentPort.postMessage(side(workerData));
} else {
  test('two connections racing compare-and-set commits: each lands or loses by version, none fails', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sluice-store-'));
    try {
      const file = path.join(dir, 'kv.sqlite');
      const store = new SqliteStore(file);
      assert.equal(store.commit([{ key: 'counter', expect: 0, value: new TextEncoder().encode('0') }]), true);
      const results = await Promise.all(['a', 'b'].map((name) => new Promise((resolve, reject) => {
        const worker = new Worker(new URL(import.meta.url), { workerData: { file, name } });
        worker.once('message', resolve);
        worker.once('error', reject);
      })));
      for (const result of results) assert.equal(result.ok, true, result.error);
      const counter = store.getMany(['counter']).get('counter');
      assert.equal(new TextDecoder().decode(counter.value), String(2 * INCREMENTS));
      for (const name of ['a', 'b']) {
        const got = store.getMany([`${name}:0`, `${name}:${COMMITS - 1}`]);
        assert.deepEqual([...got.values()].map((entry) => entry.version), [1, 1]);
      }
      // A stale version still loses (false), it does not throw.
      assert.equal(store.commit([{ key: 'counter', expect: 1, value: new Uint8Array([0]) }]), false);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
