// The npm package's importFile against every tests/data/import case: the
// outcome, reasons, rows and metadata the CLI gives for the same bytes, byte
// for byte; and the lazily decoded rows.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { createSluice, SluiceError } from 'sluice';

import { cliPath, dataDir } from '../support/paths.mjs';

const sluice = await createSluice();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'sluice-import-'));
const folders = readdirSync(path.join(dataDir, 'import'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();

test('there are at least 150 import cases', () => {
  assert.ok(folders.length >= 150, `found ${folders.length}`);
});

for (const name of folders) {
  test(`import/${name}: package and CLI give the same verdict, rows and metadata`, () => {
    const dir = path.join(dataDir, 'import', name);
    const input = readdirSync(dir).find((file) => file.startsWith('input.'));
    const schema = readFileSync(path.join(dir, 'schema.json'), 'utf8');
    const mappingFile = path.join(dir, 'mapping.json');
    const mapping = existsSync(mappingFile) ? JSON.parse(readFileSync(mappingFile, 'utf8')) : undefined;

    const result = sluice.importFile(readFileSync(path.join(dir, input)), schema, mapping ? { mapping } : {});
    const metadataFile = path.join(scratch, `${name}.json`);
    const args = ['import', '--schema', path.join(dir, 'schema.json'), path.join(dir, input), '--metadata', metadataFile];
    if (mapping) args.push('--mapping', mappingFile);
    const cli = spawnSync(cliPath, args, { encoding: 'utf8' });

    const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8'));
    assert.equal(result.outcome, expected.outcome);
    assert.equal(cli.status, { SUCCESSFUL: 0, NEEDS_REVIEW: 2, FAILED: 3 }[result.outcome], cli.stderr);
    assert.equal(JSON.stringify(result.metadata), readFileSync(metadataFile, 'utf8'));
    if (result.outcome !== 'FAILED') {
      assert.equal(JSON.stringify(result.rows.toArray()) + '\n', cli.stdout);
    } else {
      assert.equal(result.rows.length, 0);
    }
    // Streamed: the same bytes (nothing for FAILED) and the same metadata.
    for (const rowFormat of ['json', 'ndjson']) {
      const chunks = [];
      const streamed = sluice.importFile(readFileSync(path.join(dir, input)), schema,
        { ...(mapping ? { mapping } : {}), rowFormat, onRows: (chunk) => chunks.push(Buffer.from(chunk)) });
      assert.equal(streamed.rows, null);
      assert.equal(JSON.stringify(streamed.metadata), JSON.stringify(result.metadata));
      const text = Buffer.concat(chunks).toString('utf8');
      if (result.outcome === 'FAILED') {
        assert.equal(text, '');
      } else {
        assert.equal(text, rowFormat === 'json' ? cli.stdout.slice(0, -1) : result.rows.toNdjson());
      }
    }
  });
}

test('importBlob gives importFile\'s answer for every import case, kept and streamed', async () => {
  for (const name of folders) {
    const dir = path.join(dataDir, 'import', name);
    const input = readFileSync(path.join(dir, readdirSync(dir).find((file) => file.startsWith('input.'))));
    const schema = readFileSync(path.join(dir, 'schema.json'), 'utf8');
    const mappingFile = path.join(dir, 'mapping.json');
    const options = existsSync(mappingFile) ? { mapping: JSON.parse(readFileSync(mappingFile, 'utf8')) } : {};
    const kept = sluice.importFile(input, schema, options);
    const fromBlob = await sluice.importBlob(new Blob([input]), schema, options);
    assert.equal(fromBlob.outcome, kept.outcome, name);
    assert.deepEqual(fromBlob.metadata, kept.metadata, name);
    assert.equal(fromBlob.rows.toNdjson(), kept.rows.toNdjson(), name);
    const chunks = [];
    const streamed = await sluice.importBlob(new Blob([input]), schema, { ...options, rowFormat: 'json', onRows: (chunk) => chunks.push(chunk) });
    assert.equal(streamed.rows, null, name);
    assert.deepEqual(streamed.metadata, kept.metadata, name);
    const text = Buffer.concat(chunks).toString('utf8');
    assert.equal(text, kept.outcome === 'FAILED' ? '' : JSON.stringify(kept.rows.toArray()), name);
  }
});

test('importBlob reads a large file in slices, one call at a time, reporting the load', async () => {
  const schema = { fields: [{ key: 'id', label: 'Id', type: 'number', validators: [{ validate: 'unique' }] }, { key: 'note', label: 'Note' }] };
  const file = (rows, tag) => {
    const lines = ['Id,Note'];
    for (let i = 0; i < rows; i++) lines.push(`${i},"${tag} ${i}, with a comma"`);
    return Buffer.from(`${lines.join('\n')}\n`);
  };
  const big = file(500000, 'big');  // about 14 MB: two 8 MB slices
  const small = file(10, 'small');
  const events = [];
  // Two calls at once: each answers for its own file (the staged file is one at a time).
  const [fromBig, fromSmall] = await Promise.all([
    sluice.importBlob(new Blob([big]), schema, { onProgress: (p) => events.push(p) }),
    sluice.importBlob(new Blob([small]), schema),
  ]);
  assert.equal(fromBig.rows.toNdjson(), sluice.importFile(big, schema).rows.toNdjson());
  assert.equal(fromSmall.rows.toNdjson(), sluice.importFile(small, schema).rows.toNdjson());
  const loads = events.filter((e) => e.stage === 'load');
  assert.ok(loads.length >= 3, JSON.stringify(loads));
  assert.deepEqual(loads.map((e) => e.done), [...loads.map((e) => e.done)].sort((a, b) => a - b));
  assert.equal(loads.at(-1).done, big.length);
  assert.equal(loads.at(-1).total, big.length);
  assert.equal(events.indexOf(loads.at(-1)) + 1, events.findIndex((e) => e.stage === 'read'), 'the load comes before the read');
  await assert.rejects(sluice.importBlob(big, schema), TypeError);
  assert.throws(() => sluice.importFile(null, schema), TypeError);
  // A call that failed leaves the next one working.
  assert.equal((await sluice.importBlob(new Blob(['Id\n1\n']), schema)).outcome, 'SUCCESSFUL');
});

test('importStream takes pieces of any size, with or without the total, from any iterable', async () => {
  const schema = { fields: [{ key: 'id', label: 'Id', type: 'number', validators: [{ validate: 'unique' }] }, { key: 'note', label: 'Note' }] };
  const lines = ['Id,Note'];
  for (let i = 0; i < 120000; i++) lines.push(`${i % 50000},"note ${i}, é"`);
  const file = Buffer.from(`${lines.join('\n')}\n`);  // about 2.5 MB: the room grows past 1 MB twice
  const kept = sluice.importFile(file, schema);
  const pieces = (size) => {
    const out = [];
    for (let at = 0; at < file.length; at += size) out.push(file.subarray(at, at + size));
    return out;
  };
  async function* slowly(list) { for (const piece of list) { await null; yield piece; } }
  const same = (result, label) => {
    assert.deepEqual(result.metadata, kept.metadata, label);
    assert.equal(result.rows.toNdjson(), kept.rows.toNdjson(), label);
  };
  same(await sluice.importStream(pieces(7777), schema, { size: file.length }), 'array, size known');
  same(await sluice.importStream(slowly(pieces(100000)), schema), 'async, size unknown');
  same(await sluice.importStream(slowly([file]), schema), 'one piece larger than the first room');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'sluice-stream-'));
  const onDisk = path.join(scratch, 'file.csv');
  writeFileSync(onDisk, file);
  const events = [];
  same(await sluice.importStream(createReadStream(onDisk, { highWaterMark: 1 << 20 }), schema,
    { size: statSync(onDisk).size, onProgress: (p) => events.push(p) }), 'fs.createReadStream');
  const loads = events.filter((e) => e.stage === 'load');
  assert.equal(loads.at(-1).done, file.length);
  const chunks = [];
  await sluice.importStream(pieces(65536), schema, { rowFormat: 'json', onRows: (chunk) => chunks.push(chunk) });
  assert.equal(Buffer.concat(chunks).toString('utf8'), JSON.stringify(kept.rows.toArray()));
  assert.equal((await sluice.importStream(['Id\n', '1\n'], schema)).rows.toNdjson(), '{"id":1,"note":null}\n');  // strings are text
  await assert.rejects(sluice.importStream(pieces(65536), schema, { size: file.length - 1 }),
    (error) => error instanceof SluiceError && error.code === 'file_changed');
  await assert.rejects(sluice.importStream(pieces(65536), schema, { size: file.length + 1 }),
    (error) => error instanceof SluiceError && error.code === 'file_changed');
  await assert.rejects(sluice.importStream(42, schema), TypeError);
  await assert.rejects(sluice.importStream(pieces(10), schema, { size: -1 }), TypeError);
  same(await sluice.importStream(pieces(1 << 20), schema, { size: file.length }), 'after the failures');
  // A load that fails frees what it staged.
  const before = sluice.heapInUse();
  await assert.rejects(sluice.importStream(pieces(65536), schema, { size: file.length + 1 }), SluiceError);
  assert.ok(sluice.heapInUse() < before + (1 << 20), `${sluice.heapInUse() - before} bytes kept`);
});

test('importStream reads a source it can open again in passes, never holding the file', async () => {
  const schema = { fields: [{ key: 'id', label: 'Id', type: 'number', validators: [{ validate: 'unique' }] }, { key: 'note', label: 'Note' }] };
  const lines = ['Id,Note'];
  const filler = 'x'.repeat(190);
  for (let i = 0; i < 200000; i++) lines.push(`${i % 150000 === 7 ? 7 : i},"note ${i}, ${filler}"`);
  const file = Buffer.from(`${lines.join('\r\n')}\r\n`);  // about 42 MB
  const onDisk = path.join(scratch, 'passes.csv');
  writeFileSync(onDisk, file);
  const kept = sluice.importFile(file, schema);
  const before = sluice.heapInUse();
  let most = 0;
  const chunks = [];
  const events = [];
  const result = await sluice.importStream(() => createReadStream(onDisk, { highWaterMark: 1 << 20 }), schema, {
    size: file.length,
    onProgress: (p) => events.push(p),
    onRows: (chunk) => { chunks.push(chunk); most = Math.max(most, sluice.heapInUse() - before); },
  });
  assert.equal(result.rows, null);
  assert.deepEqual(result.metadata, kept.metadata);
  assert.equal(Buffer.concat(chunks).toString('utf8'), kept.rows.toNdjson());
  // Two passes over the file, and the module never held it: a window, a
  // chunk of rows and the unique keys.
  assert.equal(events.filter((e) => e.stage === 'load' && e.done === file.length).length, 2);
  assert.ok(most < file.length / 2, `${most} bytes in use for a file of ${file.length}`);
  // A Blob with onRowsView: the same rows.
  const views = [];
  await sluice.importBlob(new Blob([file]), schema, { onRowsView: (view) => views.push(Buffer.from(view)) });
  assert.equal(Buffer.concat(views).toString('utf8'), kept.rows.toNdjson());
  // A source that changes between passes: file_changed (a FAILED outcome; with
  // the size said, the load's own error).
  let opened = 0;
  const changing = () => [opened++ === 0 ? file : file.subarray(0, file.length - 50)];
  const changed = await sluice.importStream(changing, schema, { onRows: () => {} });
  assert.equal(changed.outcome, 'FAILED');
  assert.deepEqual(changed.reasons.map((r) => r.code), ['file_changed']);
  opened = 0;
  await assert.rejects(sluice.importStream(changing, schema, { size: file.length, onRows: () => {} }),
    (error) => error instanceof SluiceError && error.code === 'file_changed');
  await assert.rejects(sluice.importStream(() => 42, schema, { onRows: () => {} }), TypeError);
  // Without onRows, a function's pieces are staged once, as an iterable's are.
  const once = await sluice.importStream(() => [file], schema);
  assert.equal(once.rows.toNdjson(), kept.rows.toNdjson());
  // And the module works on after each of them.
  assert.equal((await sluice.importStream(() => ['Id\n1\n'], schema, { onRows: () => {} })).outcome, 'SUCCESSFUL');
  assert.ok(sluice.heapInUse() < before + (1 << 20), `${sluice.heapInUse() - before} bytes kept`);
});

test('rows decode one at a time, and iterate', () => {
  const schema = { fields: [{ key: 'n', label: 'N', type: 'number' }] };
  const { rows } = sluice.importFile('N\n1\n2\n3\n', schema);
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.at(1), { n: 2 });
  assert.deepEqual(rows.at(-1), { n: 3 });
  assert.equal(rows.at(3), undefined);
  assert.deepEqual([...rows].map((r) => r.n), [1, 2, 3]);
  assert.equal(rows.toNdjson(), '{"n":1}\n{"n":2}\n{"n":3}\n');
});

test('streamed rows arrive in chunks, in order, and equal the kept rows', () => {
  const schema = {
    fields: [
      { key: 'id', label: 'Id', type: 'number', validators: [{ validate: 'unique' }] },
      { key: 'email', label: 'Email', type: 'email' },
    ],
  };
  let csv = 'Id,Email\n';
  for (let i = 0; i < 40000; i++) csv += `${i % 9999 === 7 ? 3 : i},user${i}@example.com\n`;
  const kept = sluice.importFile(csv, schema);
  const chunks = [];
  const streamed = sluice.importFile(csv, schema, { onRows: (chunk) => chunks.push(chunk) });
  assert.ok(chunks.length > 2, `${chunks.length} chunks`);
  assert.ok(chunks.every((chunk) => chunk instanceof Uint8Array));
  assert.equal(Buffer.concat(chunks).toString('utf8'), kept.rows.toNdjson());
  assert.deepEqual(streamed.metadata, kept.metadata);
  assert.equal(streamed.metadata.rowsWithError, 5);  // row 3 and its four repeats, across chunks
  const csvChunks = [];
  sluice.importFile(csv, schema, { rowFormat: 'csv', onRows: (chunk) => csvChunks.push(chunk) });
  const lines = Buffer.concat(csvChunks).toString('utf8').split('\r\n');
  assert.equal(lines[0], 'id,email');
  assert.equal(lines.length, 1 + 39995 + 1);  // the header, the rows without errors (the default drops the others), ''
});

test('onRowsView hands over the same chunks as views of the module\'s memory, valid during the call', async () => {
  const schema = { fields: [{ key: 'id', label: 'Id', type: 'number', validators: [{ validate: 'unique' }] }, { key: 'email', label: 'Email', type: 'email' }] };
  let csv = 'Id,Email\n';
  for (let i = 0; i < 30000; i++) csv += `${i},user${i}@example.com\n`;
  const copies = [];
  sluice.importFile(csv, schema, { rowFormat: 'json', onRows: (chunk) => copies.push(chunk) });
  const views = [];
  const seen = [];
  const result = sluice.importFile(csv, schema, {
    rowFormat: 'json',
    onRowsView: (view) => {
      seen.push(view);
      views.push(Buffer.from(view));  // copied inside the call, as a consumer that keeps them must
    },
  });
  assert.equal(result.rows, null);
  assert.ok(views.length > 2, `${views.length} chunks`);
  assert.deepEqual(Buffer.concat(views), Buffer.concat(copies));
  // Views of the module's memory, not copies: their buffer is the module's.
  assert.ok(seen.every((view) => view.buffer.byteLength > view.length));
  assert.equal(new Set(seen.map((view) => view.buffer)).size, 1);
  const streamed = [];
  await sluice.importBlob(new Blob([csv]), schema, { rowFormat: 'json', onRowsView: (view) => streamed.push(Buffer.from(view)) });
  assert.deepEqual(Buffer.concat(streamed), Buffer.concat(copies));
  assert.throws(() => sluice.importFile(csv, schema, { onRows: () => {}, onRowsView: () => {} }), TypeError);
  assert.throws(() => sluice.importFile(csv, schema, { onRowsView: 'no' }), TypeError);
});

test('streaming refuses what it cannot do, with codes', () => {
  const schema = { fields: [{ key: 'a', label: 'A' }] };
  assert.throws(() => sluice.importFile('A\n1\n', schema, { onRows: 'yes' }), TypeError);
  assert.throws(() => sluice.importFile('A\n1\n', schema, { onRows: () => {}, rowFormat: 'xml' }),
    (error) => error instanceof SluiceError && error.code === 'invalid_option');
  const hooked = { ...schema, hooks: { rowHooks: ['(record) => record'] } };
  assert.throws(() => sluice.importFile('A\n1\n', hooked, { onRows: () => {} }),
    (error) => error instanceof SluiceError && error.code === 'hooks_need_runner');
  const chunks = [];
  sluice.importFile('A\n1\n', hooked, { onRows: (chunk) => chunks.push(chunk), skipHooks: true });
  assert.equal(Buffer.concat(chunks).toString('utf8'), '{"a":"1"}\n');
  const failed = [];
  assert.equal(sluice.importFile('', schema, { onRows: (chunk) => failed.push(chunk) }).outcome, 'FAILED');
  assert.equal(failed.length, 0);
});

test('an invalid schema is a SluiceError with every problem', () => {
  assert.throws(() => sluice.importFile('a\n1\n', { fields: [{ key: 'a', label: 'A', type: 'money' }] }),
    (error) => error instanceof SluiceError && error.code === 'schema_invalid' && error.details[0].code === 'type.unknown');
  assert.deepEqual(sluice.checkSchema({ fields: [{ key: 'a', label: 'A' }] }), { valid: true, problems: [] });
  assert.throws(() => sluice.importFile('a\n', { fields: [{ key: 'a', label: 'A' }] }, { mapping: [1] }),
    (error) => error.code === 'invalid_option');
});
