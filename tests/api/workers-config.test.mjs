// wrangler.toml (what `wrangler deploy` binds) and the local launcher (what
// Miniflare binds) must give worker.mjs the same bindings, and worker.mjs must
// use no binding neither gives.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { root } from '../support/paths.mjs';

const read = (file) => readFileSync(path.join(root, 'edge/hosts/workers', file), 'utf8');

test('wrangler.toml, dev.mjs and worker.mjs agree on the bindings', () => {
  const toml = read('wrangler.toml');
  const dev = read('dev.mjs');
  const worker = read('worker.mjs');
  const bound = {
    kv: [...toml.matchAll(/\[\[kv_namespaces\]\]\s*binding = "(\w+)"/g)].map((m) => m[1]),
    r2: [...toml.matchAll(/\[\[r2_buckets\]\]\s*binding = "(\w+)"/g)].map((m) => m[1]),
    durable: [...toml.matchAll(/\[\[durable_objects\.bindings\]\]\s*name = "(\w+)"\s*class_name = "(\w+)"/g)].map((m) => [m[1], m[2]]),
    queue: [...toml.matchAll(/\[\[queues\.producers\]\]\s*binding = "(\w+)"\s*queue = "([\w-]+)"/g)].map((m) => [m[1], m[2]]),
    vars: [...toml.slice(toml.indexOf('[vars]')).matchAll(/^(SLUICE_\w+) = /gm)].map((m) => m[1]),
    assets: [...toml.matchAll(/\[assets\][^[]*binding = "(\w+)"/g)].map((m) => m[1]),
  };
  assert.deepEqual(bound.assets, ['ASSETS']);
  assert.match(dev, /assets: \{ directory: assets, binding: 'ASSETS'/);
  assert.deepEqual(bound.kv, ['SLUICE_KEYS']);
  assert.deepEqual(bound.r2, ['SLUICE_BLOBS']);
  assert.deepEqual(bound.durable, [['SLUICE_ORGS', 'OrgStore']]);
  assert.deepEqual(bound.queue, [['SLUICE_QUEUE', 'sluice-jobs']]);
  assert.match(dev, /kvNamespaces: \{ SLUICE_KEYS: /);
  assert.match(dev, /r2Buckets: \{ SLUICE_BLOBS: /);
  assert.match(dev, /durableObjects: \{ SLUICE_ORGS: \{ className: 'OrgStore'/);
  assert.match(dev, /queueProducers: \{ SLUICE_QUEUE: 'sluice-jobs' \}/);
  assert.match(dev, /queueConsumers: \{ 'sluice-jobs': /);
  assert.match(toml, /\[\[queues\.consumers\]\]\s*queue = "sluice-jobs"/);
  assert.match(toml, /new_sqlite_classes = \["OrgStore"\]/);
  assert.match(worker, /export class OrgStore extends DurableObject/);
  // Every env.X the worker reads is bound by both (or is the secret, or a
  // local-only knob of the launcher).
  const localOnly = ['SLUICE_CLOCK_OFFSET_MS', 'SLUICE_JOBS', 'SLUICE_BOOT_ID', 'SLUICE_SECRET'];
  for (const [, name] of worker.matchAll(/env\.((?:SLUICE_|ASSETS)\w*)/g)) {
    const inToml = [...bound.kv, ...bound.r2, ...bound.durable.map((d) => d[0]), ...bound.queue.map((q) => q[0]), ...bound.vars,
      ...bound.assets]
      .includes(name);
    assert.ok(inToml || localOnly.includes(name), `${name} is not in wrangler.toml`);
    assert.ok(dev.includes(`${name}:`) || dev.includes(`${name} `) || dev.includes(`'${name}'`), `${name} is not bound by dev.mjs`);
  }
});
