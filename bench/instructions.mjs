// The CI guard on speed that a noisy machine cannot fool: the instructions
// the native CLI executes (callgrind) importing fixed inputs
// (bench/generate.mjs) with bench/schema.json, against the committed
// baselines in bench/instructions-baseline.json: 20,000 rows (2.4 MB, read
// whole in one pass) and 150,000 rows (18 MB, over ImportPasses::kWholeBelow:
// read in passes), on one thread (--threads 0: the work, not how threads
// wait for each other). tests/bench fails on a rise over 15%; `node
// bench/instructions.mjs --record` writes new baselines (after a change that
// is meant to cost more, or saved a lot).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { writeFile } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
export const BASELINE_FILE = path.join(here, 'instructions-baseline.json');
export const ROWS = [20000, 150000];

/** Instructions executed by `sluice import` on the fixed input of `rows` rows. */
export async function countInstructions(rows) {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sluice-callgrind-'));
  try {
    const input = path.join(work, 'input.csv');
    await writeFile(rows, input);
    const run = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null',
      path.join(root, 'build/native/sluice'), 'import', '--schema', path.join(root, 'bench/schema.json'), input,
      '--format', 'ndjson', '--threads', '0'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (run.error) throw run.error;
    const match = /I\s+refs:\s+([\d,]+)/.exec(run.stderr);
    if (run.status !== 0 || !match) throw new Error(`callgrind did not run the import (exit ${run.status}):\n${run.stderr.slice(-2000)}`);
    return Number(match[1].replaceAll(',', ''));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const runs = [];
  for (const rows of ROWS) {
    const instructions = await countInstructions(rows);
    console.log(`sluice import, ${rows} rows: ${instructions.toLocaleString('en')} instructions`);
    runs.push({ rows, instructions });
  }
  if (process.argv[2] === '--record') {
    writeFileSync(BASELINE_FILE, `${JSON.stringify({ runs, recorded: new Date().toISOString().slice(0, 10),
      note: 'native preset (profile-guided: scripts/train-profile), Debian 12 g++ 12; callgrind instruction count of sluice import on bench/generate.mjs output' }, null, 2)}\n`);
    console.log(`recorded in ${path.relative(root, BASELINE_FILE)}`);
  }
}
