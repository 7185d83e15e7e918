// The peers of `make bench` check the file by rules written again outside
// Sluice (bench/contestants.mjs). They must stay Sluice's rules: the plain
// JavaScript version of them, on rows Sluice parses, gives Sluice's rows and
// error counts exactly (the peers' SQL is held to the same by make bench).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { createSluice } from 'sluice';

import { checkRow } from '../../bench/contestants.mjs';
import { generate } from '../../bench/generate.mjs';
import { root } from '../support/paths.mjs';

test('the peers\' rules give Sluice\'s rows and errors', async () => {
  const sluice = await createSluice();
  const text = [...generate(20000)].join('');
  const schema = JSON.parse(readFileSync(path.join(root, 'bench/schema.json'), 'utf8'));
  const result = sluice.importFile(text, schema);
  const rows = sluice.parse(text).slice(1);
  const idCounts = new Map();
  for (const row of rows) idCounts.set(row[0].trim(), (idCounts.get(row[0].trim()) ?? 0) + 1);
  let errors = 0;
  let rowsWithError = 0;
  const expected = result.rows.toArray();
  rows.forEach((row, i) => {
    const [object, e] = checkRow(row, idCounts);
    errors += e;
    if (e) rowsWithError++;
    assert.deepEqual(object, expected[i], `row ${i}`);
  });
  assert.equal(errors, result.metadata.errorCount);
  assert.equal(rowsWithError, result.metadata.rowsWithError);
  assert.ok(errors > 150);
});
