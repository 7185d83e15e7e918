// Review sessions through the npm package: each operation, undo and redo,
// unique counts after edits, the export equal to what the server will run
// (importFile with the session's changes) and to a fresh import of the
// exported file, errors as SluiceErrors, and memory given back on close.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createSluice, SluiceError } from 'sluice';

const sluice = await createSluice();

const SCHEMA = {
  fields: [
    { key: 'name', label: 'Name', validators: [{ validate: 'required' }] },
    { key: 'email', label: 'Email', type: 'email', validators: [{ validate: 'unique' }] },
    { key: 'age', label: 'Age', type: 'number' },
  ],
};
const FILE = 'Contacts\nName,Email,Age\nAda,ada@x.io,36\nBob,ada@x.io,forty\nCy,cy@x.io,7\n';

test('a session edits, re-checks what an edit touches, and undoes', () => {
  const session = sluice.openReview(FILE, SCHEMA);
  try {
    assert.equal(session.rowCount, 3);
    let summary = session.summary();
    assert.equal(summary.headerRow, 1);
    assert.equal(summary.rowsWithError, 2);
    assert.deepEqual(summary.byField.email, { unique: 2 });
    assert.deepEqual(summary.byField.age, { 'type.number': 1 });
    const [first] = session.rows(0, 1);
    assert.deepEqual(first.values, { name: 'Ada', email: 'ada@x.io', age: 36 });
    assert.equal(first.messages[0].code, 'unique');

    // Fixing row 1's email clears the duplicate on row 0 too.
    const edit = session.setCell(1, 'email', 'bob@x.io');
    assert.deepEqual(edit.changed.map((c) => [c.rowIndex, c.fieldKey, c.messages.length]), [[0, 'email', 0], [1, 'email', 0]]);
    session.setCell(1, 'age', '40');
    summary = session.summary();
    assert.equal(summary.rowsWithError, 0);
    assert.equal(summary.errors, 0);
    assert.deepEqual(session.messages(), { count: 0, messages: [] });

    assert.equal(session.undo(), true);
    assert.equal(session.summary().byField.age['type.number'], 1);
    assert.equal(session.redo(), true);
    assert.deepEqual(session.changes(), {
      edits: [{ rowIndex: 1, fieldKey: 'email', value: 'bob@x.io' }, { rowIndex: 1, fieldKey: 'age', value: '40' }],
      removedRows: [],
      addedRows: [],
    });
  } finally {
    session.close();
  }
});

test('rows, header and mapping changes; the export is what the server will produce', () => {
  const session = sluice.openReview('Name,Contact,Age\nAda,ada@x.io,1\nBob,bob@x.io,2\n', SCHEMA);
  try {
    assert.equal(session.summary().mapping.some((m) => m.fieldKey === 'email'), false);
    assert.deepEqual(session.setMapping({ 0: 'name', 1: 'email', 2: 'age' }), { changed: [], all: true });
    session.addRow({ name: 'Cy', email: 'cy@x.io', age: '3' });
    session.removeRows([0]);
    const replaced = session.findReplace({ find: 'X.IO', replace: 'example.com', matchCase: false });
    assert.equal(replaced.replaced, 2);
    const review = session.changes();
    const server = sluice.importFile('Name,Contact,Age\nAda,ada@x.io,1\nBob,bob@x.io,2\n', SCHEMA, { review });
    assert.deepEqual(JSON.parse(session.export()), server.rows.toArray());
    assert.deepEqual(server.rows.toArray(), [
      { name: 'Bob', email: 'bob@example.com', age: 2 },
      { name: 'Cy', email: 'cy@example.com', age: 3 },
    ]);
    // The exported CSV, imported afresh, gives the same rows.
    const csv = session.export({ format: 'csv' });
    const again = sluice.importFile(csv, { fields: SCHEMA.fields.map((f) => ({ ...f, label: f.key })) });
    assert.deepEqual(again.rows.toArray(), server.rows.toArray());
    assert.equal(session.export({ format: 'ndjson' }).trim().split('\n').length, 2);
    // Reopened on the same changes: the same session.
    const reopened = sluice.openReview('Name,Contact,Age\nAda,ada@x.io,1\nBob,bob@x.io,2\n', SCHEMA, { changes: review });
    assert.deepEqual(reopened.rows(0, 10), session.rows(0, 10));
    reopened.close();
  } finally {
    session.close();
  }
});

test('errors are SluiceErrors; a closed session refuses calls', () => {
  assert.throws(() => sluice.openReview(FILE, { fields: [{ key: 'a', label: 'A', type: 'money' }] }),
    (error) => error instanceof SluiceError && error.code === 'schema_invalid');
  assert.throws(() => sluice.openReview(FILE, SCHEMA, { changes: { edits: [{ rowIndex: 0, fieldKey: 'nope', value: 'x' }] } }),
    (error) => error instanceof SluiceError && error.code === 'invalid_review');
  const session = sluice.openReview(FILE, SCHEMA);
  assert.throws(() => session.setCell(99, 'name', 'x'), (error) => error.code === 'review_out_of_range');
  assert.throws(() => session.setCell(0, 'nope', 'x'), (error) => error.code === 'invalid_review');
  assert.throws(() => session.setMapping({ x: 'name' }), (error) => error.code === 'invalid_review');
  assert.throws(() => session.setHeaderRow(99), (error) => error.code === 'review_out_of_range');
  assert.throws(() => session.findReplace({ find: '' }), (error) => error.code === 'invalid_review');
  assert.throws(() => session.export({ format: 'xml' }), (error) => error.code === 'invalid_option');
  assert.throws(() => session.messages({ level: 'loud' }), (error) => error.code === 'invalid_review');
  session.close();
  assert.throws(() => session.rows(), (error) => error.code === 'session_closed');
  session.close();  // twice is fine
});

test('1,000 sessions opened and closed leave the heap where it started', () => {
  sluice.openReview(FILE, SCHEMA).close();  // first use: the core's lasting tables
  const start = sluice.heapInUse();
  for (let i = 0; i < 1000; i++) {
    const session = sluice.openReview(FILE, SCHEMA);
    session.setCell(i % 3, 'email', `x${i}@x.io`);
    session.close();
  }
  assert.equal(sluice.heapInUse(), start);
});
