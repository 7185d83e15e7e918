// The host side of the protocol (edge/hosts/shared/handler-loop.mjs) with the
// real edge module over an in-memory store that records what happens when:
// new blobs exist before the writes that announce them commit, a lost race
// removes them and runs the call again, and moves/deletes wait for the commit.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { EdgeModule } from '../../edge/hosts/shared/edge-module.mjs';
import { runRequest } from '../../edge/hosts/shared/handler-loop.mjs';
import { edgeWasmPath } from '../support/paths.mjs';

const edge = await EdgeModule.load(readFileSync(edgeWasmPath), { log: () => {} });

class MemoryStore {
  constructor(events) {
    this.events = events;
    this.kv = new Map();
    this.failNextCommit = false;
    const hash = createHash('sha256').update('key').digest('hex');
    this.kv.set(`apikey:${hash}`, { value: Buffer.from(JSON.stringify({ org: 'acme', hash })), version: 1 });
  }
  getMany(keys) {
    return new Map(keys.map((key) => [key, this.kv.get(key) ?? null]));
  }
  commit(writes, effects) {
    this.events.push(`commit(${writes.length} writes, ${effects.length} effects)`);
    if (this.failNextCommit) {
      this.failNextCommit = false;
      return false;
    }
    for (const { key, value } of writes) {
      if (value === null) this.kv.delete(key);
      else this.kv.set(key, { value, version: (this.kv.get(key)?.version ?? 0) + 1 });
    }
    return true;
  }
}

class MemoryBlobs {
  constructor(events) {
    this.events = events;
    this.files = new Map();
  }
  write(name, bytes) { this.events.push(`write ${name.split('/')[0]}`); this.files.set(name, bytes); }
  move(from, to) { this.events.push('move'); this.files.set(to, this.files.get(from)); this.files.delete(from); }
  delete(name) { this.events.push(`delete ${name.split('/')[0]}`); this.files.delete(name); }
}

const create = (store, blobs) => runRequest(edge, store, blobs, {
  makeRequest: () => ({
    method: 'POST', path: '/api/v1/headless/imports/', query: '', headers: { 'x-dromo-license-key': 'key' },
    now_ms: Date.now(), config: { base_url: 'http://h', secret: 's' },
  }),
  body: new TextEncoder().encode(JSON.stringify({ fields: [{ key: 'a', label: 'A' }], initial_data: [{ A: 1 }] })),
  makeRandom: () => randomBytes(32),
});

test('new blobs are written before the commit that announces them', async () => {
  const events = [];
  const answer = await create(new MemoryStore(events), new MemoryBlobs(events));
  assert.equal(answer.status, 201);
  assert.deepEqual(events, ['write uploads', 'commit(3 writes, 1 effects)']);
});

test('a lost race removes the new blobs and runs the call again', async () => {
  const events = [];
  const store = new MemoryStore(events);
  const blobs = new MemoryBlobs(events);
  store.failNextCommit = true;
  const answer = await create(store, blobs);
  assert.equal(answer.status, 201);
  assert.deepEqual(events, ['write uploads', 'commit(3 writes, 1 effects)', 'delete uploads', 'write uploads',
    'commit(3 writes, 1 effects)']);
  assert.equal(blobs.files.size, 1);
});
