// A schema's hooks through a running host: the processing job runs each hook
// stage in the host's QuickJS sandbox (Node: a worker thread; Workers: the
// queue consumer), and the rows are the same bytes the npm package gives for
// the same hooks. A throwing hook, an endless loop, a memory hog and a hook
// reaching for the host FAIL the import (naming hook and row) and nothing
// else; a row a person edits in review runs again in update mode.
// Written to run unchanged against any host startHost() starts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { createSluice } from 'sluice';
import { createHookRunner } from 'sluice/hooks';

import { HOOKS_FILE, HOOKS_ROWS, HOOKS_SCHEMA } from '../hooks/fixture.mjs';
import { startHost } from '../support/host.mjs';

let host;
before(async () => {
  host = await startHost({
    env: { SLUICE_API_KEYS: 'acme:acme-key', SLUICE_RATE_LIMITS: 'off', SLUICE_HOOK_LIMITS: 'rowCallMs=300,memoryMiB=48' },
  });
});
after(async () => { await host?.stop(); });

const api = (path, { method = 'GET', body } = {}) => fetch(`${host.url}/api/v1${path}`, {
  method,
  headers: { 'x-dromo-license-key': 'acme-key', ...(body ? { 'content-type': 'application/json' } : {}) },
  body: body ? JSON.stringify(body) : undefined,
});

async function finished(id) {
  const deadline = Date.now() + 30000;
  for (;;) {
    const record = await (await api(`/headless/imports/${id}/`)).json();
    if (['SUCCESSFUL', 'NEEDS_REVIEW', 'FAILED'].includes(record.status)) return record;
    if (Date.now() > deadline) throw new Error(`import ${id} stayed ${record.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function importRows(body) {
  const created = await (await api('/headless/imports/', { method: 'POST', body })).json();
  assert.ok(created.id, JSON.stringify(created));
  return finished(created.id);
}

const FIELDS = [
  { key: 'name', label: 'Name', validators: [{ validate: 'required' }] },
  { key: 'note', label: 'Note' },
];
const withRowHook = (source) => importRows({
  fields: FIELDS, hooks: { rowHooks: [source] }, initial_data: [{ Name: 'Ada' }, { Name: 'Bob' }],
});

test('the shared hook set gives the same rows as the npm package, byte for byte', async () => {
  const schema = await (await api('/schemas/', { method: 'POST', body: { name: 'hooked', ...HOOKS_SCHEMA } })).json();
  assert.ok(schema.id, JSON.stringify(schema));
  const created = await (await api('/headless/imports/', {
    method: 'POST', body: { schema_id: schema.id, original_filename: 'people.csv' },
  })).json();
  assert.equal((await fetch(created.upload, { method: 'PUT', body: HOOKS_FILE })).status, 200);
  const done = await finished(created.id);
  assert.equal(done.status, 'SUCCESSFUL', JSON.stringify(done.import_errors));
  assert.equal(done.result_metadata.rowsWithError, 1);
  const { presigned_url: url } = await (await api(`/headless/imports/${created.id}/url/`)).json();
  const ndjson = await (await fetch(`${url}&format=ndjson`)).text();
  assert.deepEqual(ndjson.trim().split('\n').map((line) => JSON.parse(line)), HOOKS_ROWS);

  const sluice = await createSluice();
  const local = await sluice.importWithHooks(HOOKS_FILE, HOOKS_SCHEMA, { hookRunner: await createHookRunner() });
  assert.equal(ndjson, local.rows.toNdjson());
  assert.deepEqual(done.result_metadata.errors, local.metadata.errors);
});

test('hooks given in the create call run over the saved schema', async () => {
  const schema = await (await api('/schemas/', { method: 'POST', body: { name: 'plain', fields: FIELDS } })).json();
  const done = await importRows({
    schema_id: schema.id, hooks: { columnHooks: [{ fieldName: 'note', callback: '(v) => v.map(({ index }) => ({ index, value: `#${index}` }))' }] },
    initial_data: [{ Name: 'Ada' }, { Name: 'Bob' }],
  });
  assert.equal(done.status, 'SUCCESSFUL', JSON.stringify(done.import_errors));
  const { presigned_url: url } = await (await api(`/headless/imports/${done.id}/url/`)).json();
  assert.deepEqual(await (await fetch(url)).json(), [{ name: 'Ada', note: '#0' }, { name: 'Bob', note: '#1' }]);
  // Hooks are checked like a schema's.
  const bad = await api('/headless/imports/', { method: 'POST', body: { fields: FIELDS, hooks: { rowHooks: [''] }, initial_data: [] } });
  assert.equal(bad.status, 422);
});

test('a throwing hook FAILS the import, naming the hook and the row', async () => {
  const done = await withRowHook('(r) => { if (r.row.name.value === "Bob") throw new Error("not Bob"); }');
  assert.equal(done.status, 'FAILED');
  assert.deepEqual(done.import_errors, [{ code: 'hook_failed', message: 'rowHooks[0] failed on row 1: Error: not Bob', hook: 'rowHooks[0]', rowIndex: 1 }]);
  assert.equal(done.result_metadata, null);
  assert.equal(done.review_url, undefined);
});

test('an endless loop, a memory hog and a malformed result FAIL only their import', async () => {
  const [loop, hog, malformed, fine] = await Promise.all([
    withRowHook('(r) => { for (;;) {} }'),
    withRowHook('(r) => { const keep = []; for (;;) keep.push(new Array(100000).fill(1)); }'),
    withRowHook('(r) => ({ row: { nope: { value: 1 } } })'),
    withRowHook('(r) => ({ row: { note: { value: r.row.name.value.toUpperCase() } } })'),
  ]);
  assert.deepEqual([loop.status, loop.import_errors[0].message], ['FAILED', 'rowHooks[0] failed on row 0: timed out after 300 ms']);
  assert.deepEqual([hog.status, hog.import_errors[0].message],
    ['FAILED', 'rowHooks[0] failed on row 0: ran out of memory (the limit is 48 MiB)']);
  assert.deepEqual([malformed.status, malformed.import_errors[0].code], ['FAILED', 'hook_invalid_result']);
  assert.equal(fine.status, 'SUCCESSFUL');
  // The host is still serving.
  assert.equal((await fetch(`${host.url}/healthz`)).status, 200);
});

test('a hook reaches nothing of the host: fetch, require, process, globalThis', async () => {
  const seen = await withRowHook(`(r) => ({ row: { note: { value: [typeof fetch, typeof require, typeof process,
    typeof globalThis.process, typeof setTimeout, Object.keys(globalThis).join('+')].join() } } })`);
  assert.equal(seen.status, 'SUCCESSFUL');
  const { presigned_url: url } = await (await api(`/headless/imports/${seen.id}/url/`)).json();
  assert.equal((await (await fetch(url)).json())[0].note, 'undefined,undefined,undefined,undefined,undefined,console');
  for (const reach of ['fetch("http://127.0.0.1:9/")', 'require("node:fs")', 'process.exit(3)', 'globalThis.process.env.HOME']) {
    const done = await withRowHook(`(r) => ${reach}`);
    assert.equal(done.status, 'FAILED', reach);
    assert.match(done.import_errors[0].message, /failed on row 0: (ReferenceError|TypeError)/, reach);
  }
});

test('a row a person edits in review runs its row hooks again in update mode', async () => {
  const done = await importRows({
    fields: FIELDS, settings: { invalidDataBehavior: 'BLOCK_SUBMIT' },
    hooks: { rowHooks: ['(r, mode) => ({ row: { note: { value: mode } } })'] },
    initial_data: [{ Name: 'Ada' }, { Name: '', Note: 'x' }],
  });
  assert.equal(done.status, 'NEEDS_REVIEW', JSON.stringify(done.import_errors));
  const token = new URL(done.review_url).searchParams.get('token');
  const submitted = await fetch(`${host.url}/api/v1/headless/imports/${done.id}/review/?token=${encodeURIComponent(token)}`, {
    method: 'POST', body: JSON.stringify({ edits: [{ rowIndex: 1, fieldKey: 'name', value: 'Bob' }] }),
  });
  assert.equal(submitted.status, 202, await submitted.clone().text());
  const reviewed = await finished(done.id);
  assert.equal(reviewed.status, 'SUCCESSFUL', JSON.stringify(reviewed.import_errors));
  const { presigned_url: url } = await (await api(`/headless/imports/${done.id}/url/`)).json();
  assert.deepEqual(await (await fetch(url)).json(), [{ name: 'Ada', note: 'init' }, { name: 'Bob', note: 'update' }]);
});
