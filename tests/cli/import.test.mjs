// `sluice import` and `sluice check-schema`: outputs, formats, metadata file,
// remembered mappings and the exit codes of each outcome.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { cliPath, dataDir, root } from '../support/paths.mjs';

const run = (...args) => spawnSync(cliPath, args, { encoding: 'utf8' });
const folder = (name) => path.join(dataDir, 'import', name);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-'));

test('a successful import prints the rows and exits 0', () => {
  const result = run('import', '--schema', path.join(folder('behavior_remove_invalid_rows_default'), 'schema.json'),
    path.join(folder('behavior_remove_invalid_rows_default'), 'input.csv'));
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), [{ id: 1, email: 'a@x.io' }, { id: 3, email: 'c@x.io' }]);
});

test('an import reads a file, an empty file and standard input alike', () => {
  const dir = folder('behavior_remove_invalid_rows_default');
  const schema = path.join(dir, 'schema.json');
  const input = readFileSync(path.join(dir, 'input.csv'));
  const fromFile = run('import', '--schema', schema, path.join(dir, 'input.csv'));
  const fromStdin = spawnSync(cliPath, ['import', '--schema', schema, '-'], { input, encoding: 'utf8' });
  assert.equal(fromStdin.status, 0, fromStdin.stderr);
  assert.equal(fromStdin.stdout, fromFile.stdout);
  // A large input through stdin (read in pieces) and from its file (one buffer of its size).
  const big = Buffer.concat([input, ...Array.from({ length: 20000 }, (_, i) => Buffer.from(`${i + 10},r${i}@x.io\n`))]);
  const bigFile = path.join(scratch, 'big.csv');
  writeFileSync(bigFile, big);
  const bigFromFile = run('import', '--schema', schema, bigFile);
  const bigFromStdin = spawnSync(cliPath, ['import', '--schema', schema, '-'], { input: big, encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(bigFromFile.status, 0, bigFromFile.stderr);
  assert.equal(bigFromStdin.stdout, bigFromFile.stdout);
  assert.equal(JSON.parse(bigFromFile.stdout).length, 20002);
  const empty = path.join(scratch, 'empty.csv');
  writeFileSync(empty, '');
  const none = run('import', '--schema', schema, empty);
  assert.equal(none.status, 3);  // FAILED: an empty file has no rows
  assert.equal(none.stdout, '');
});

test('a file over 16 MB is read in passes, with the rows and metadata of a whole read, on any number of threads', async () => {
  const { writeFile } = await import('../../bench/generate.mjs');
  const schema = path.join(root, 'bench', 'schema.json');
  const file = path.join(scratch, 'passes.csv');
  await writeFile(150000, file);  // about 18 MB: over ImportPasses::kWholeBelow (standard input is read whole)
  const meta = (name) => path.join(scratch, name);
  const inPasses = spawnSync(cliPath, ['import', '--schema', schema, file, '--format', 'ndjson', '--metadata', meta('passes.json')],
    { encoding: 'utf8', maxBuffer: 1 << 27 });
  const whole = spawnSync(cliPath, ['import', '--schema', schema, '-', '--format', 'ndjson', '--metadata', meta('whole.json')],
    { input: readFileSync(file), encoding: 'utf8', maxBuffer: 1 << 27 });
  assert.equal(inPasses.status, 0, inPasses.stderr);
  assert.ok(inPasses.stdout.length > 30e6);
  assert.equal(inPasses.stdout, whole.stdout);
  assert.equal(readFileSync(meta('passes.json'), 'utf8'), readFileSync(meta('whole.json'), 'utf8'));
  // The last pass on worker threads (one per processor by default), or none, or three: the same bytes.
  for (const threads of ['0', '3']) {
    const other = spawnSync(cliPath, ['import', '--schema', schema, file, '--format', 'ndjson', '--threads', threads,
      '--metadata', meta(`threads-${threads}.json`)], { encoding: 'utf8', maxBuffer: 1 << 27 });
    assert.equal(other.status, 0, other.stderr);
    assert.equal(other.stdout, whole.stdout);
    assert.equal(readFileSync(meta(`threads-${threads}.json`), 'utf8'), readFileSync(meta('whole.json'), 'utf8'));
  }
  const bad = spawnSync(cliPath, ['import', '--schema', schema, file, '--threads', 'many'], { encoding: 'utf8' });
  assert.equal(bad.status, 64);
  assert.match(bad.stderr, /--threads needs an integer/);
});

test('--format ndjson and csv, and --metadata writes the result metadata', () => {
  const dir = folder('output_csv_neutralises_formulas');
  const metadata = path.join(scratch, 'meta.json');
  const csv = run('import', '--schema', path.join(dir, 'schema.json'), path.join(dir, 'input.csv'), '--format', 'csv',
    '--metadata', metadata);
  assert.equal(csv.status, 0, csv.stderr);
  assert.equal(csv.stdout, JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')).csv);
  const meta = JSON.parse(readFileSync(metadata, 'utf8'));
  assert.equal(meta.num_data_rows, 4);
  assert.equal(meta.detected.format, 'csv');
  const ndjson = run('import', '--schema', path.join(dir, 'schema.json'), path.join(dir, 'input.csv'), '--format', 'ndjson');
  assert.equal(ndjson.stdout.trim().split('\n').length, 4);
});

test('NEEDS_REVIEW exits 2 with its reasons on stderr', () => {
  const dir = folder('outcome_required_field_unmapped');
  const result = run('import', '--schema', path.join(dir, 'schema.json'), path.join(dir, 'input.csv'));
  assert.equal(result.status, 2);
  const outcome = JSON.parse(result.stderr);
  assert.equal(outcome.outcome, 'NEEDS_REVIEW');
  assert.equal(outcome.reasons[0].code, 'field_unmapped');
  assert.equal(outcome.reasons[0].fieldKey, 'email');
});

test('FAILED exits 3 and prints no rows', () => {
  const dir = folder('outcome_failed_empty_file');
  const result = run('import', '--schema', path.join(dir, 'schema.json'), path.join(dir, 'input.csv'));
  assert.equal(result.status, 3);
  assert.equal(result.stdout, '');
  assert.equal(JSON.parse(result.stderr).reasons[0].code, 'empty_file');
});

test('--mapping applies a remembered mapping', () => {
  const dir = folder('match_remembered_mapping_wins');
  const result = run('import', '--schema', path.join(dir, 'schema.json'), path.join(dir, 'input.csv'),
    '--mapping', path.join(dir, 'mapping.json'));
  assert.equal(result.status, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout)[0].first_name, 'Ada');
});

test('an invalid schema is refused with every problem', () => {
  const schema = path.join(scratch, 'bad-schema.json');
  writeFileSync(schema, JSON.stringify({ fields: [{ key: 'a', label: 'A', type: 'money' }, { key: 'a', label: 'B' }] }));
  const result = run('import', '--schema', schema, path.join(folder('output_ndjson'), 'input.csv'));
  assert.equal(result.status, 65);
  const error = JSON.parse(result.stderr).error;
  assert.equal(error.code, 'schema_invalid');
  assert.deepEqual(error.details.map((p) => p.code), ['type.unknown', 'field.duplicate_key']);
});

test('check-schema reports validity and problems', () => {
  const good = run('check-schema', path.join(dataDir, 'schemas/valid_every_validator/schema.json'));
  assert.equal(good.status, 0);
  assert.deepEqual(JSON.parse(good.stdout), { valid: true, problems: [] });
  const bad = run('check-schema', path.join(dataDir, 'schemas/regex_backreference_not_linear/schema.json'));
  assert.equal(bad.status, 65);
  assert.equal(JSON.parse(bad.stdout).problems[0].code, 'regex.not_linear');
});

test('usage errors exit 64', () => {
  assert.equal(run('import', 'x.csv').status, 64);
  assert.equal(run('import', '--schema', 's.json', 'x.csv', '--format', 'xml').status, 64);
  assert.equal(run('check-schema').status, 64);
});
