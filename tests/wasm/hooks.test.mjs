// Hooks through the npm package: the QuickJS sandbox (sluice/hooks) runs each
// stage the core asks for, and the import runs again with what they changed.
// Values, info at each level, a cell's own select options, update mode after
// a review edit, bulk hooks and beforeFinishCallback; and what must fail the
// import, never the process: a throwing hook, an endless loop, a memory hog,
// a hook reaching for the host (fetch, require, process, globalThis), a
// malformed result.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createSluice, SluiceError } from 'sluice';
import { createHookRunner, HOOK_LIMITS } from 'sluice/hooks';

import { HOOKS_FILE, HOOKS_ROWS, HOOKS_SCHEMA } from '../hooks/fixture.mjs';

const sluice = await createSluice();
const runner = await createHookRunner();
const quick = await createHookRunner({ limits: { rowCallMs: 150, callMs: 300, memoryBytes: 48 * 1024 * 1024 } });

const FILE = 'name,email,plan\nAda,ada@example.org,gold\nBob,bob@example.org,tin\n';
const schemaWith = (hooks, settings = {}) => ({
  fields: [
    { key: 'name', label: 'Name' },
    { key: 'email', label: 'Email', type: 'email' },
    { key: 'plan', label: 'Plan', type: 'select', selectOptions: [{ label: 'Gold', value: 'gold' }] },
    { key: 'note', label: 'Note' },
  ],
  settings: { invalidDataBehavior: 'INCLUDE_INVALID_ROWS', ...settings },
  hooks,
});
const withRowHook = (source, r = quick) => sluice.importWithHooks(FILE, schemaWith({ rowHooks: [source] }), { hookRunner: r });

test('the shared hook set: column, row, bulk hooks and beforeFinish, every kind of change', async () => {
  const result = await sluice.importWithHooks(HOOKS_FILE, HOOKS_SCHEMA, { hookRunner: runner });
  assert.equal(result.outcome, 'SUCCESSFUL', JSON.stringify(result.reasons));
  assert.deepEqual(result.rows.toArray(), HOOKS_ROWS);
  const errors = result.metadata.errors.map((e) => [e.rowIndex, e.fieldKey, e.code, e.level, e.message]);
  assert.deepEqual(errors, [
    [1, 'email', 'hook', 'warning', 'a test address'],
    [2, 'last', 'hook', 'error', 'row 2 has no last name'],
    [2, 'plan', errors[2][2], 'error', errors[2][4]],  // platinum is Bob's option only
  ]);
  assert.equal(result.metadata.rowsWithError, 1);
  assert.equal(result.metadata.fields.full_name.reason, 'filled by rowHooks[0]');
});

test('a schema with hooks needs a runner, or skipHooks', async () => {
  assert.throws(() => sluice.importFile(HOOKS_FILE, HOOKS_SCHEMA), (e) => e instanceof SluiceError && e.code === 'hooks_need_runner');
  const skipped = sluice.importFile(HOOKS_FILE, HOOKS_SCHEMA, { skipHooks: true });
  assert.equal(skipped.outcome, 'NEEDS_REVIEW');  // full_name is required and no column has it
  await assert.rejects(sluice.importWithHooks(HOOKS_FILE, HOOKS_SCHEMA), TypeError);
});

test('rows a person edited run in update mode, and see the edit', async () => {
  const review = { edits: [{ rowIndex: 1, fieldKey: 'name', value: 'Robert' }] };
  const result = await sluice.importWithHooks(FILE, schemaWith({ rowHooks: ['(r, mode) => ({ row: { note: { value: mode + ":" + r.row.name.value } } })'] }),
    { hookRunner: runner, review });
  assert.deepEqual(result.rows.toArray().map((r) => r.note), ['init:Ada', 'update:Robert']);
});

test('values a hook sets are parsed and checked again; info replaces messages', async () => {
  const result = await withRowHook(`(r) => r.index === 0
    ? { row: { email: { value: 'not an email' } } }
    : { row: { plan: { value: 'gold', info: [{ message: 'was tin', level: 'info' }] } } }`);
  assert.deepEqual(result.rows.toArray().map((r) => [r.email, r.plan]), [['not an email', 'gold'], ['bob@example.org', 'gold']]);
  const byCell = Object.fromEntries(result.metadata.errors.map((e) => [`${e.rowIndex}.${e.fieldKey}`, `${e.code}/${e.level}`]));
  assert.equal(byCell['1.plan'], 'hook/info');
  assert.match(byCell['0.email'], /\/error$/);
  assert.equal(result.metadata.rowsWithError, 1);
});

test('a hook that throws fails the import, naming the hook and the row', async () => {
  const result = await withRowHook('(r) => { if (r.index === 1) throw new Error("no Bob"); }');
  assert.equal(result.outcome, 'FAILED');
  assert.deepEqual(result.reasons, [{ code: 'hook_failed', message: 'rowHooks[0] failed on row 1: Error: no Bob', hook: 'rowHooks[0]', rowIndex: 1 }]);
  const rejected = await withRowHook('async (r) => { throw new TypeError("later") }');
  assert.equal(rejected.reasons[0].message, 'rowHooks[0] failed on row 0: TypeError: later');
  const syntax = await withRowHook('(r) => {');
  assert.equal(syntax.outcome, 'FAILED');
  assert.match(syntax.reasons[0].message, /^rowHooks\[0\] failed: SyntaxError/);
});

test('an endless loop is interrupted, a memory hog stopped, deep recursion caught', async () => {
  const loop = await withRowHook('(r) => { for (;;) {} }');
  assert.deepEqual([loop.outcome, loop.reasons[0].code, loop.reasons[0].message],
    ['FAILED', 'hook_failed', 'rowHooks[0] failed on row 0: timed out after 150 ms']);
  const asyncLoop = await withRowHook('async (r) => { await null; while (true) {} }');
  assert.match(asyncLoop.reasons[0].message, /timed out after 150 ms$/);
  const hog = await withRowHook('(r) => { const a = []; for (;;) a.push(new Array(100000).fill(r.index)); }');
  assert.equal(hog.outcome, 'FAILED');
  assert.equal(hog.reasons[0].message, 'rowHooks[0] failed on row 0: ran out of memory (the limit is 48 MiB)');
  const deep = await withRowHook('function f(r) { return f(r) + 1; }');
  assert.match(deep.reasons[0].message, /stack overflow/);
  const never = await withRowHook('(r) => new Promise(() => {})');
  assert.match(never.reasons[0].message, /never settled/);
  // The runner is still good afterwards.
  assert.equal((await withRowHook('(r) => undefined')).outcome, 'SUCCESSFUL');
});

test('a hook reaches nothing of the host', async () => {
  const seen = await withRowHook(`(r) => ({ row: { note: { value: [typeof fetch, typeof require, typeof process,
    typeof setTimeout, typeof globalThis.process, typeof globalThis.Deno, typeof XMLHttpRequest, typeof WebAssembly,
    Object.keys(globalThis).join('+')].join() } } })`);
  assert.equal(seen.rows.at(0).note, 'undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined,console');
  for (const reach of ['fetch("http://127.0.0.1/")', 'require("fs")', 'process.exit(1)', 'globalThis.process.env']) {
    const result = await withRowHook(`(r) => ${reach}`);
    assert.equal(result.outcome, 'FAILED', reach);
    assert.match(result.reasons[0].message, /(ReferenceError|TypeError)/, reach);
  }
  const imported = await withRowHook('(r) => import("node:fs")');
  assert.equal(imported.outcome, 'FAILED');
});

test('a malformed result fails the import with a clear message', async () => {
  const cases = [
    ['(r) => "yes"', 'rowHooks[0] returned a string instead of {row: {...}} (row 0)'],
    ['(r) => ({ row: { nope: { value: 1 } } })', "rowHooks[0] returned the field 'nope', which is not in the schema (row 0)"],
    ['(r) => ({ row: { name: { value: { a: 1 } } } })', "rowHooks[0] returned an object as the value of 'name' (text, a number, a boolean or null) (row 0)"],
    ['(r) => ({ row: { name: { info: [{ message: "m", level: "loud" }] } } })', /the info level "loud"/],
    ['(r) => ({ row: { name: { selectOptions: [] } } })', /not a select field/],
    ['(r) => { const o = {}; o.o = o; return { row: { name: { value: o } } }; }', /failed on row 0: TypeError/],
  ];
  for (const [source, message] of cases) {
    const result = await withRowHook(source);
    assert.equal(result.outcome, 'FAILED', source);
    if (typeof message === 'string') assert.equal(result.reasons[0].message, message);
    else assert.match(result.reasons[0].message, message);
  }
  const column = await sluice.importWithHooks(FILE, schemaWith({ columnHooks: [{ fieldName: 'name', callback: '(v) => 5' }] }), { hookRunner: runner });
  assert.equal(column.reasons[0].message, 'columnHooks[0] returned a number instead of an array of {index, value?, info?}');
});

test('bulk hooks get records in batches and keep their indexes; beforeFinish may cancel', async () => {
  const bulk = await sluice.importWithHooks(FILE, schemaWith({
    bulkRowHooks: ['(rs, mode) => rs.map((r) => ({ index: r.index, row: { note: { value: `${mode}:${rs.length}:${r.row.name.value}` } } }))'],
  }), { hookRunner: runner });
  assert.deepEqual(bulk.rows.toArray().map((r) => r.note), ['init:2:Ada', 'init:2:Bob']);
  const cancelled = await sluice.importWithHooks(FILE, schemaWith({
    beforeFinishCallback: 'async (data, metadata) => ({ cancel: metadata.num_data_rows === data.length, message: `not ${data[0].name}` })',
  }), { hookRunner: runner });
  assert.equal(cancelled.outcome, 'NEEDS_REVIEW');
  assert.deepEqual(cancelled.reasons, [{ code: 'before_finish_cancelled', message: 'not Ada', hook: 'beforeFinishCallback' }]);
  // Only when the import would succeed: not asked when it needs review anyway.
  const review = await sluice.importWithHooks(FILE, schemaWith({ beforeFinishCallback: '() => { throw new Error("asked") }' },
    { invalidDataBehavior: 'BLOCK_SUBMIT' }), { hookRunner: runner });
  assert.equal(review.outcome, 'NEEDS_REVIEW');
  assert.equal(review.reasons[0].code, 'invalid_data');
});

test('limits are the documented defaults unless given', () => {
  assert.deepEqual(runner.limits, { ...HOOK_LIMITS });
  assert.equal(quick.limits.rowCallMs, 150);
});

test('a review session runs the hooks as the server will, and again after each edit', async () => {
  const session = sluice.openReview(HOOKS_FILE, HOOKS_SCHEMA);
  try {
    assert.equal(session.hooksPending, true);
    await session.runHooks(runner);
    assert.equal(session.hooksPending, false);
    assert.deepEqual(JSON.parse(session.export()), HOOKS_ROWS);
    assert.equal(session.summary().outcome, 'SUCCESSFUL');

    session.setCell(2, 'last', 'Young');
    assert.equal(session.hooksPending, true);
    await session.runHooks(runner);
    const rows = JSON.parse(session.export());
    assert.deepEqual([rows[2].full_name, rows[2].mode, rows[1].mode], ['Cy Young', 'update', 'init']);
    const cy = session.rows(2, 1)[0];
    assert.deepEqual(cy.messages.map((m) => m.fieldKey), ['plan']);  // the hook's flag on "last" is gone

    // What the server runs for the person's changes gives the same rows.
    const server = await sluice.importWithHooks(HOOKS_FILE, HOOKS_SCHEMA, { hookRunner: runner, review: session.changes() });
    assert.equal(JSON.stringify(server.rows.toArray()), JSON.stringify(rows));

    // An edit while the hooks run: they run again over it.
    const running = session.runHooks(runner);
    session.setCell(0, 'first', 'Augusta');
    await running;
    if (session.hooksPending) await session.runHooks(runner);
    assert.equal(JSON.parse(session.export())[0].full_name, 'Augusta Lovelace');

    // A failing hook: the session says FAILED and why.
    const failing = sluice.openReview(HOOKS_FILE, { ...HOOKS_SCHEMA, hooks: { rowHooks: ['(r) => { throw new Error("x") }'] } });
    await failing.runHooks(runner);
    assert.equal(failing.summary().outcome, 'FAILED');
    assert.equal(failing.summary().reasons[0].code, 'hook_failed');
    failing.close();
  } finally {
    session.close();
  }
});
