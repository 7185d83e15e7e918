// `sluice/worker` in Node (a worker thread; the browser's Web Worker is
// driven in tests/e2e): the same answers as the package on the main thread,
// progress events on a large file, cancellation (the call rejects, the next
// one works), and review sessions through the worker.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { createSluice } from 'sluice';
import { createSluiceWorker, SluiceError } from 'sluice/worker';

let worker;
let sluice;
before(async () => {
  worker = await createSluiceWorker();
  sluice = await createSluice();
});
after(async () => { await worker?.terminate(); });

const SCHEMA = {
  fields: [
    { key: 'id', label: 'id', type: 'number', validators: [{ validate: 'unique' }] },
    { key: 'email', label: 'email', type: 'email' },
  ],
};

function bigFile(rows) {
  const lines = ['id,email'];
  for (let i = 0; i < rows; i++) lines.push(`${i},user${i}@example.com`);
  return `${lines.join('\n')}\n`;
}

test('the same answers as on the main thread', async () => {
  const file = 'id,email\n1,a@x.io\n1,not-mail\n';
  assert.deepEqual(await worker.parse(file), sluice.parse(file));
  assert.deepEqual(await worker.inspect(file), sluice.inspect(file));
  assert.deepEqual(await worker.checkSchema(SCHEMA), sluice.checkSchema(SCHEMA));
  assert.deepEqual(await worker.versions(), sluice.versions());
  const remote = await worker.importFile(file, SCHEMA);
  const local = sluice.importFile(file, SCHEMA);
  assert.equal(remote.outcome, local.outcome);
  assert.deepEqual(remote.metadata, local.metadata);
  assert.deepEqual(remote.rows.toArray(), local.rows.toArray());
  await assert.rejects(worker.parse('a', { delimiter: ',,' }), (error) => error instanceof SluiceError && error.code === 'invalid_option');
});

test('a Blob goes to the worker as it is and is imported there', async () => {
  const file = bigFile(20000);
  const local = sluice.importFile(file, SCHEMA);
  const remote = await worker.importBlob(new Blob([file]), SCHEMA);
  assert.deepEqual(remote.metadata, local.metadata);
  assert.deepEqual(remote.rows.toArray(), local.rows.toArray());
  const chunks = [];
  const events = [];
  const streamed = await worker.importBlob(new Blob([file]), SCHEMA, { onRows: (chunk) => chunks.push(chunk), onProgress: (p) => events.push(p) });
  assert.equal(streamed.rows, null);
  assert.equal(Buffer.concat(chunks).toString('utf8'), local.rows.toNdjson());
  assert.equal(events[0].stage, 'load');
  await assert.rejects(worker.importBlob('not a blob', SCHEMA), TypeError);
  await assert.rejects(worker.importBlob(new Blob([file]), SCHEMA, { onRowsView: () => {} }), TypeError);
  await assert.rejects(worker.importFile(file, SCHEMA, { onRowsView: () => {} }), TypeError);
});

test('a large import reports progress', async () => {
  const events = [];
  const result = await worker.importFile(bigFile(300000), SCHEMA, { onProgress: (p) => events.push(p) });
  assert.equal(result.rows.length, 300000);
  assert.equal(events[0].stage, 'read');
  assert.equal(events[0].rows, 300000);
  assert.ok(events.filter((e) => e.stage === 'check').length >= 5, JSON.stringify(events.slice(0, 3)));
  const checks = events.filter((e) => e.stage === 'check').map((e) => e.done);
  assert.deepEqual(checks, [...checks].sort((a, b) => a - b));
  assert.equal(events.at(-1).stage, 'done');
  assert.equal(events.at(-1).done, events.at(-1).total);
  assert.equal(events.at(-1).total, 600000);
});

test('rows stream out of the worker in chunks, as the main thread streams them', async () => {
  const file = bigFile(50000);
  const remote = [];
  const local = [];
  const result = await worker.importFile(file, SCHEMA, { rowFormat: 'json', onRows: (chunk) => remote.push(chunk) });
  sluice.importFile(file, SCHEMA, { rowFormat: 'json', onRows: (chunk) => local.push(chunk) });
  assert.equal(result.rows, null);
  assert.equal(result.metadata.num_data_rows, 50000);
  assert.ok(remote.length > 2 && remote.every((chunk) => chunk instanceof Uint8Array), `${remote.length} chunks`);
  assert.deepEqual(Buffer.concat(remote), Buffer.concat(local));
  assert.equal(JSON.parse(Buffer.concat(remote).toString('utf8')).length, 50000);
  await assert.rejects(worker.importFile(file, SCHEMA, { onRows: 'no' }), TypeError);
});

test('an import can be cancelled, and the worker serves the next call', async () => {
  const controller = new AbortController();
  const running = worker.importFile(bigFile(400000), SCHEMA, {
    signal: controller.signal,
    onProgress: (p) => { if (p.stage === 'read') controller.abort(); },
  });
  await assert.rejects(running, (error) => error instanceof SluiceError && error.code === 'cancelled');
  const after = await worker.importFile('id,email\n1,a@x.io\n', SCHEMA);
  assert.equal(after.outcome, 'SUCCESSFUL');
  const aborted = new AbortController();
  aborted.abort();
  await assert.rejects(worker.importFile('id\n1\n', SCHEMA, { signal: aborted.signal }), (error) => error.code === 'cancelled');
});

test('review sessions run in the worker', async () => {
  const session = await worker.openReview('id,email\n1,a@x.io\n1,b@x.io\n', SCHEMA);
  assert.equal(session.rowCount, 2);
  assert.equal((await session.summary()).rowsWithError, 2);
  const edit = await session.setCell(1, 'id', '2');
  assert.equal(edit.changed.length, 2);
  assert.equal((await session.summary()).rowsWithError, 0);
  await session.addRow({ id: '3', email: 'c@x.io' });
  assert.equal(session.rowCount, 3);
  assert.deepEqual(await session.changes(), {
    edits: [{ rowIndex: 1, fieldKey: 'id', value: '2' }], removedRows: [], addedRows: [{ email: 'c@x.io', id: '3' }],
  });
  assert.equal(JSON.parse(await session.export()).length, 3);
  await session.close();
  await assert.rejects(session.rows(), (error) => error.code === 'session_closed');
  // Cancelling ends the sessions of that worker too.
  const other = await worker.openReview('id\n1\n', SCHEMA);
  await worker.cancel();
  await assert.rejects(other.summary(), (error) => error.code === 'session_closed');
});

test('hooks run inside the worker: importWithHooks and a review session\'s runHooks', async () => {
  const { HOOKS_FILE, HOOKS_ROWS, HOOKS_SCHEMA } = await import('../hooks/fixture.mjs');
  const worker = await createSluiceWorker();
  try {
    const result = await worker.importWithHooks(HOOKS_FILE, HOOKS_SCHEMA);
    assert.equal(result.outcome, 'SUCCESSFUL');
    assert.deepEqual(result.rows.toArray(), HOOKS_ROWS);
    const session = await worker.openReview(HOOKS_FILE, HOOKS_SCHEMA);
    assert.equal(await session.hooksPending(), true);
    assert.deepEqual(await session.runHooks(), { pending: false });
    assert.deepEqual(JSON.parse(await session.export()), HOOKS_ROWS);
    await session.setCell(0, 'first', 'Augusta');
    assert.equal(await session.hooksPending(), true);
    await session.runHooks({ limits: { rowCallMs: 500 } });
    assert.equal(JSON.parse(await session.export())[0].full_name, 'Augusta Lovelace');
    await session.close();
  } finally {
    await worker.terminate();
  }
});
