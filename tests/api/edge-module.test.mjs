// The JavaScript side of the envelope, and the edge module's behaviour under a
// host that calls it wrongly: a fault, never a crash of the host.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { canSuspend, decodeFrame, EdgeModule, EdgeModuleError, encodeFrame } from '../../edge/hosts/shared/edge-module.mjs';
import { edgeWasmPath } from '../support/paths.mjs';

const wasm = readFileSync(edgeWasmPath);

test('frames round-trip binary parts', () => {
  const binary = new Uint8Array([0, 255, 13, 10, 83, 76, 69, 49]);
  const parts = decodeFrame(encodeFrame([['request', '{"a":1}'], ['body', binary], ['empty', new Uint8Array()]]));
  assert.deepEqual([...parts.keys()], ['request', 'body', 'empty']);
  assert.deepEqual(parts.get('body'), binary);
  assert.equal(parts.get('empty').length, 0);
});

test('a part written in place ({length, fill}) encodes as its bytes; a blob file fills it', async () => {
  const bytes = new Uint8Array(100000).map((_, i) => (i * 31) % 251);
  const filled = { length: bytes.length, fill: (target) => target.set(bytes) };
  assert.deepEqual(encodeFrame([['a', 'x'], ['body', filled]]), encodeFrame([['a', 'x'], ['body', bytes]]));
  const { BlobStore } = await import('../../edge/hosts/node/blob-store.mjs');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'sluice-filler-'));
  try {
    const blobs = new BlobStore(scratch);
    await blobs.write('uploads/o/1', bytes);
    const file = blobs.filler('uploads/o/1');
    assert.equal(file.length, bytes.length);
    assert.deepEqual(encodeFrame([['body', file]]), encodeFrame([['body', bytes]]));
    // A pending blob: invisible until committed; a scratch file a killed host
    // left for the same blob is removed when it is written again.
    const { existsSync, readdirSync, writeFileSync } = await import('node:fs');
    await blobs.write('results/o/keep.json', new Uint8Array([1]));
    writeFileSync(blobs.path('results/o/1.json.pending-dead00'), 'stale');
    const pending = blobs.openPending('results/o/1.json');
    pending.write(new Uint8Array([91, 93]));
    assert.equal(blobs.size('results/o/1.json'), null);
    pending.commit();
    assert.deepEqual([...(await blobs.read('results/o/1.json'))], [91, 93]);
    assert.deepEqual(readdirSync(path.dirname(blobs.path('results/o/1.json'))).sort(), ['1.json', 'keep.json']);
    const dropped = blobs.openPending('results/o/2.json');
    dropped.write(new Uint8Array([1]));
    dropped.discard();
    assert.equal(existsSync(blobs.path('results/o/2.json')), false);
    assert.deepEqual(readdirSync(path.dirname(blobs.path('results/o/1.json'))).sort(), ['1.json', 'keep.json']);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('truncated frames are refused', () => {
  const frame = encodeFrame([['body', '0123456789']]);
  for (let cut = 0; cut < frame.length; cut++) {
    assert.throws(() => decodeFrame(frame.subarray(0, cut)), EdgeModuleError);
  }
});

test('the module imports nothing but WASI, a memory-growth hook, its progress report, its blob chunks and blob reads', () => {
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasm));
  const own = ['progress', 'blob_chunk', 'blob_size', 'read_blob'];
  for (const { module, name } of imports) {
    assert.ok(module === 'wasi_snapshot_preview1' || (module === 'env' && name === 'emscripten_notify_memory_growth') ||
      (module === 'sluice' && own.includes(name)), `${module}.${name}`);
  }
  for (const name of own) assert.ok(imports.some((i) => i.module === 'sluice' && i.name === name), name);
});

test('a host that takes blob chunks gets a large result in pieces; the bytes equal the whole blobs', async () => {
  const { SqliteStore } = await import('../../edge/hosts/node/sqlite-store.mjs');
  const { BlobStore } = await import('../../edge/hosts/node/blob-store.mjs');
  const { runRequest } = await import('../../edge/hosts/shared/handler-loop.mjs');
  const { mkdtempSync, readdirSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'sluice-blob-chunks-'));
  try {
    const results = [];
    for (const streamed of [true, false]) {
      const edge = await EdgeModule.load(wasm, { log: () => {} });
      const store = new SqliteStore(path.join(scratch, `kv-${streamed}.sqlite`));
      const files = new BlobStore(path.join(scratch, `blobs-${streamed}`));
      let chunks = 0;
      // The same store, with or without pending blobs (as the Workers host).
      const blobs = streamed ? {
        write: (n, b) => files.write(n, b), move: (f, t) => files.move(f, t), delete: (n) => files.delete(n),
        openPending: (name) => {
          const pending = files.openPending(name);
          return { ...pending, write: (bytes) => { chunks += 1; pending.write(bytes); } };
        },
      } : { write: (n, b) => files.write(n, b), move: (f, t) => files.move(f, t), delete: (n) => files.delete(n) };
      store.putApiKey('acme', 'acme-key');
      const config = { base_url: 'http://t', secret: 's'.repeat(32), rate_limits: { creates_per_minute: 0, polls_per_minute: 0 } };
      const call = (method, pathname, body, extra = {}) => runRequest(edge, store, blobs, {
        makeRequest: () => ({ method, path: pathname, query: '', headers: { 'x-dromo-license-key': 'acme-key' }, now_ms: Date.now(), config, ...extra }),
        body: new TextEncoder().encode(body),
        makeRandom: () => crypto.getRandomValues(new Uint8Array(32)),
      });
      const rows = Array.from({ length: 30000 }, (_, i) => ({ Name: `n${i}`, Email: `e${i}@x.io` }));
      const fields = [{ key: 'name', label: 'Name' }, { key: 'email', label: 'Email', type: 'email' }];
      const created = JSON.parse(new TextDecoder().decode((await call('POST', '/api/v1/headless/imports/',
        JSON.stringify({ fields, initial_data: rows }))).body));
      // The job's steps, as the host's job runner calls them.
      const org = 'acme';
      await call('POST', `/internal/imports/${org}/${created.id}/start`, '', { internal: true });
      const upload = (await files.read(`uploads/${org}/${created.id}`)).toString('utf8');
      await call('POST', `/internal/imports/${org}/${created.id}/run`, upload, { internal: true });
      const stored = {};
      for (const format of ['json', 'ndjson', 'csv']) stored[format] = (await files.read(`results/${org}/${created.id}.${format}`)).toString('utf8');
      assert.equal(JSON.parse(stored.json).length, 30000);
      assert.equal(chunks > 6, streamed, `${chunks} chunks`);
      // No scratch file is left behind.
      assert.deepEqual(readdirSync(path.join(scratch, `blobs-${streamed}`, 'results', org)).filter((f) => f.includes('.pending-')), []);
      results.push(stored);
      store.close?.();
    }
    assert.deepEqual(results[0], results[1]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

// A suspending instance (a job's on the Workers host, whose R2 reads and
// writes are promises) needs JSPI: workerd has it (the Workers host's suites
// run it), Node 20 does not, and says so with a code instead of failing later.
test('a suspending instance needs a runtime that can suspend a call (JSPI)', async () => {
  if (canSuspend()) {
    const edge = await EdgeModule.load(wasm, { log: () => {}, suspending: true });
    assert.equal(edge.suspending, true);
    const answer = await edge.call({ method: 'GET', path: '/healthz', query: '', headers: {}, now_ms: Date.now() },
      new Uint8Array(), new Uint8Array(32));
    assert.equal(answer.status, 200);
  } else {
    await assert.rejects(EdgeModule.load(wasm, { log: () => {}, suspending: true }),
      (error) => error instanceof EdgeModuleError && error.code === 'module_suspending');
  }
  assert.equal((await EdgeModule.load(wasm, { log: () => {} })).suspending, false);
});

test('a request the handler cannot read is a fault the host sees', async () => {
  const edge = await EdgeModule.load(wasm, { log: () => {} });
  await assert.rejects(edge.call({ method: 'GET', path: '/healthz' /* no now_ms */ }, new Uint8Array(), new Uint8Array()),
    (error) => error instanceof EdgeModuleError && error.code === 'envelope_malformed');
  // The same instance keeps answering.
  const answer = await edge.call({ method: 'GET', path: '/healthz', query: '', headers: {}, now_ms: Date.now() },
    new Uint8Array(), new Uint8Array(32));
  assert.equal(answer.status, 200);
});

test('large bodies cross the boundary intact', async () => {
  const edge = await EdgeModule.load(wasm, { log: () => {} });
  const body = new Uint8Array(8 * 1024 * 1024).fill(7);
  const answer = await edge.call({ method: 'PUT', path: '/healthz', query: '', headers: {}, now_ms: 0 }, body,
    new Uint8Array(32));
  assert.equal(answer.status, 405);
});
