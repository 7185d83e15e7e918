// The benchmarks' input generator: the same bytes for the same size on every
// machine (results are only comparable if the input is), the shape the
// performance issue asks for, and the errors the schema is meant to find.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { createSluice } from 'sluice';

import { generate, PLANS, writeFile } from '../../bench/generate.mjs';
import { cliPath, root } from '../support/paths.mjs';

const sluice = await createSluice();

test('the same rows give the same bytes', () => {
  const text = [...generate(2000)].join('');
  // Changing the generator changes every benchmark: do it on purpose, and say so in bench/README.md.
  assert.equal(createHash('sha256').update(text).digest('hex'), 'a698267494021b11377d128afa90fec6b2560cd5461e75f129f7dd3a02d76ab9');
  assert.equal(text, [...generate(2000)].join(''));
});

test('ten columns, sixteen plans, mixed dates, quoted notes, about 110 bytes a row', () => {
  const text = [...generate(20000)].join('');
  const lines = text.split('\n');
  assert.equal(lines[0], 'id,first_name,last_name,email,signup_date,amount,active,plan,country,note');
  assert.equal(PLANS.length, 16);
  assert.ok(text.length / 20000 > 100 && text.length / 20000 < 130, `${text.length / 20000} bytes a row`);
  assert.ok(/,\d{4}-\d\d-\d\d,/.test(text) && /,\d\d\/\d\d\/\d{4},/.test(text) && /,\d+ [A-Z][a-z]{2} \d{4},/.test(text));
  // Read as CSV: ten cells a row, and the notes as the issue asks.
  const rows = sluice.parse(text);
  assert.equal(rows.length, 20001);
  assert.ok(rows.every((row) => row.length === 10));
  const notes = rows.slice(1).map((row) => row[9]);
  const share = (test) => notes.filter(test).length / notes.length;
  assert.ok(Math.abs(share((n) => n.includes('\n')) - 0.002) < 0.0015, 'newlines');
  assert.ok(Math.abs(share((n) => n.includes('"')) - 0.01) < 0.004, 'escaped quotes');
  assert.ok(Math.abs(share((n) => n.includes(',')) - 0.05) < 0.01, 'commas');
  assert.equal(new Set(rows.slice(1).map((row) => row[7])).size, 17);  // 16 plans and one unknown
});

test('Sluice finds the errors the schema is meant to find, and only those', async () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-'));
  try {
    const file = path.join(work, 'input.csv');
    await writeFile(20000, file);
    const metadataFile = path.join(work, 'metadata.json');
    execFileSync(cliPath, ['import', '--schema', path.join(root, 'bench/schema.json'), file, '--format', 'ndjson',
      '--metadata', metadataFile], { maxBuffer: 1 << 28 });
    const metadata = JSON.parse(readFileSync(metadataFile, 'utf8'));
    assert.equal(metadata.num_data_rows, 20000);
    const codes = {};
    for (const error of metadata.errors) codes[`${error.fieldKey}.${error.code}`] = (codes[`${error.fieldKey}.${error.code}`] ?? 0) + 1;
    assert.deepEqual(Object.keys(codes).sort(),
      ['amount.number.min', 'email.type.email', 'id.unique', 'last_name.required', 'plan.select.no_match']);
    assert.ok(metadata.rowsWithError > 150 && metadata.rowsWithError < 400, `${metadata.rowsWithError} rows with errors`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
