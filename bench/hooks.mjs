// The cost of hooks through the npm package: `node bench/hooks.mjs [rows]`
// (default 100,000 rows of bench/generate.mjs's file, 10 columns). Imports
// the file with bench/schema.json three ways, three runs each, and prints the
// medians: without hooks, with one trivial row hook, with one trivial column
// hook; the hook's own cost per row (rows/s of the row hook stage) is the
// difference.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createSluice } from 'sluice';
import { createHookRunner } from 'sluice/hooks';

import { generate } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const rows = Number(process.argv[2] ?? 100_000);
const bytes = new TextEncoder().encode([...generate(rows)].join(''));
const schema = JSON.parse(readFileSync(path.join(here, 'schema.json'), 'utf8'));
const sluice = await createSluice();
const runner = await createHookRunner();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
async function time(label, run) {
  const ms = [];
  let result;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    result = await run();
    ms.push(performance.now() - started);
  }
  const m = median(ms);
  console.log(`${label.padEnd(34)} ${m.toFixed(0).padStart(7)} ms  ${Math.round(rows / (m / 1000)).toLocaleString('en').padStart(10)} rows/s  (${result.outcome})`);
  return m;
}

console.log(`${rows.toLocaleString('en')} rows, ${(bytes.length / 1e6).toFixed(1)} MB; medians of 3 runs`);
const plain = await time('no hooks', () => sluice.importFile(bytes, schema));
const row = await time('a trivial row hook', () => sluice.importWithHooks(bytes,
  { ...schema, hooks: { rowHooks: ['(record) => ({ row: { first_name: { value: record.row.first_name.value } } })'] } },
  { hookRunner: runner }));
const column = await time('a trivial column hook', () => sluice.importWithHooks(bytes,
  { ...schema, hooks: { columnHooks: [{ fieldName: 'plan', callback: '(values) => values' }] } }, { hookRunner: runner }));
console.log(`row hook stage alone: ${Math.round(rows / ((row - plain) / 1000)).toLocaleString('en')} rows/s; ` +
  `column hook stage alone: ${Math.round(rows / ((column - plain) / 1000)).toLocaleString('en')} rows/s`);
