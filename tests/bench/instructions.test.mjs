// Speed, guarded without wall clocks: the native import of fixed inputs (one
// read whole, one read in passes) must
// not execute more than 15% more instructions than the committed baseline
// (bench/instructions.mjs; callgrind counts are the same on a busy machine).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { BASELINE_FILE, countInstructions, ROWS } from '../../bench/instructions.mjs';

for (const rows of ROWS) {
  test(`the native import of ${rows} rows costs no more than 15% over its instruction baseline`, async () => {
    const baseline = JSON.parse(readFileSync(BASELINE_FILE, 'utf8')).runs.find((run) => run.rows === rows);
    assert.ok(baseline, `no baseline for ${rows} rows: node bench/instructions.mjs --record`);
    const instructions = await countInstructions(rows);
    const ratio = instructions / baseline.instructions;
    const report = `${instructions.toLocaleString('en')} instructions, ${(ratio * 100).toFixed(1)}% of the baseline ` +
      `(${baseline.instructions.toLocaleString('en')})`;
    assert.ok(ratio <= 1.15, `${report}: more than 15% over; find where (callgrind), or record a new baseline on purpose ` +
      '(node bench/instructions.mjs --record) and say why in the commit');
    if (ratio < 0.85) console.log(`# ${report}: well under; record a new baseline so the guard keeps the gain`);
  });
}
