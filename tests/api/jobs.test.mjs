// The Node host's job runner with the real edge module, SQLite store and blob
// files: a job that keeps failing is retried with backoff, then aborted, and
// its import ends FAILED (processing_failed) instead of staying RUNNING.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { BlobStore } from '../../edge/hosts/node/blob-store.mjs';
import { JobRunner } from '../../edge/hosts/node/jobs.mjs';
import { SqliteStore } from '../../edge/hosts/node/sqlite-store.mjs';
import { EdgeModule } from '../../edge/hosts/shared/edge-module.mjs';
import { runRequest } from '../../edge/hosts/shared/handler-loop.mjs';
import { edgeWasmPath } from '../support/paths.mjs';

test('a job that keeps failing is retried, then its import is FAILED', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sluice-jobs-'));
  try {
    const edge = await EdgeModule.load(readFileSync(edgeWasmPath), { log: () => {} });
    const store = new SqliteStore(path.join(dir, 'kv.sqlite'));
    const blobs = new BlobStore(path.join(dir, 'blobs'));
    store.putApiKey('acme', 'key');
    const config = { base_url: 'http://h', secret: 's' };
    let now = Date.now();
    const call = (method, url, body = '') => runRequest(edge, store, blobs, {
      makeRequest: () => ({ method, path: url, query: '', headers: { 'x-dromo-license-key': 'key' }, now_ms: now, config }),
      body: new TextEncoder().encode(body),
      makeRandom: () => randomBytes(32),
    });
    const created = JSON.parse(new TextDecoder().decode((await call('POST', '/api/v1/headless/imports/',
      JSON.stringify({ fields: [{ key: 'a', label: 'A' }], initial_data: [{ A: 1 }] }))).body));
    // The upload becomes unreadable: every attempt fails before the module runs.
    const upload = blobs.path(`uploads/acme/${created.id}`);
    rmSync(upload);
    mkdirSync(upload);

    const lines = [];
    const runner = new JobRunner({ edge, store, blobs, config, log: (line) => lines.push(line), clock: () => now });
    for (let attempt = 0; attempt < 3; attempt++) {
      await runner.drain();
      now += 10_000; // past the backoff
    }
    const record = JSON.parse(new TextDecoder().decode((await call('GET', `/api/v1/headless/imports/${created.id}/`)).body));
    assert.equal(record.status, 'FAILED');
    assert.equal(record.import_errors[0].code, 'processing_failed');
    assert.equal(lines.filter((line) => line.includes('failed')).length, 3);
    assert.equal(store.nextJob(now + 1e9), null, 'the job left the outbox');
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
