// The JavaScript side of the envelope, and the edge module's behaviour under a
// host that calls it wrongly: a fault, never a crash of the host.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { decodeFrame, EdgeModule, EdgeModuleError, encodeFrame } from '../../edge/hosts/shared/edge-module.mjs';
import { edgeWasmPath } from '../support/paths.mjs';

const wasm = readFileSync(edgeWasmPath);

test('frames round-trip binary parts', () => {
  const binary = new Uint8Array([0, 255, 13, 10, 83, 76, 69, 49]);
  const parts = decodeFrame(encodeFrame([['request', '{"a":1}'], ['body', binary], ['empty', new Uint8Array()]]));
  assert.deepEqual([...parts.keys()], ['request', 'body', 'empty']);
  assert.deepEqual(parts.get('body'), binary);
  assert.equal(parts.get('empty').length, 0);
});

test('truncated frames are refused', () => {
  const frame = encodeFrame([['body', '0123456789']]);
  for (let cut = 0; cut < frame.length; cut++) {
    assert.throws(() => decodeFrame(frame.subarray(0, cut)), EdgeModuleError);
  }
});

test('the module imports nothing but WASI, a memory-growth hook and its progress report', () => {
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasm));
  for (const { module, name } of imports) {
    assert.ok(module === 'wasi_snapshot_preview1' || (module === 'env' && name === 'emscripten_notify_memory_growth') ||
      (module === 'sluice' && name === 'progress'), `${module}.${name}`);
  }
  assert.ok(imports.some(({ module, name }) => module === 'sluice' && name === 'progress'));
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
