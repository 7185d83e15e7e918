// The CLI's contract: output on stdout, errors as JSON on stderr, sysexits codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

import { cliPath, dataDir } from '../support/paths.mjs';

const run = (...args) => spawnSync(cliPath, args, { encoding: 'utf8' });

test('parse prints rows as JSON and exits 0', () => {
  const result = run('parse', path.join(dataDir, 'readers/quoted_delimiter/input.csv'));
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), [['name', 'age'], ['Doe, Jane', '42']]);
});

test('inspect prints the inspection, with flags for sheet, header row and preview', () => {
  const workbook = path.join(dataDir, 'readers/xlsx_named_sheet/input.xlsx');
  const result = run('inspect', workbook, '--sheet', 'Other Sheet', '--header-row', '0', '--preview', '1');
  assert.equal(result.status, 0, result.stderr);
  const inspection = JSON.parse(result.stdout);
  assert.equal(inspection.format, 'xlsx');
  assert.deepEqual(inspection.preview, [['code']]);
  assert.deepEqual(inspection.header.evidence, ['matchingStep.headerRowOverride']);
  assert.equal(run('inspect', workbook, '--sheet', 'Nope').status, 65);
});

test('parse reads standard input from -, and --delimiter overrides sniffing', () => {
  const result = spawnSync(cliPath, ['parse', '-'], { input: 'x;y\n1;2\n', encoding: 'utf8' });
  assert.equal(result.status, 0);
  assert.deepEqual(JSON.parse(result.stdout), [['x', 'y'], ['1', '2']]);
  const comma = spawnSync(cliPath, ['parse', '-', '--delimiter', ','], { input: 'x;y\n1;2\n', encoding: 'utf8' });
  assert.deepEqual(JSON.parse(comma.stdout), [['x;y'], ['1;2']]);
});

test('an unreadable file exits 65 with a JSON error', () => {
  const result = run('parse', '/nonexistent/file.csv');
  assert.equal(result.status, 65);
  assert.equal(result.stdout, '');
  const error = JSON.parse(result.stderr);
  assert.equal(error.error.code, 'file_unreadable');
});

test('usage errors exit 64', () => {
  assert.equal(run().status, 64);
  assert.equal(run('frobnicate').status, 64);
  assert.equal(run('parse').status, 64);
  assert.equal(run('parse', 'a.csv', '--delimiter', ',,').status, 64);
  assert.equal(run('parse', 'a.csv', '--bogus').status, 64);
  assert.equal(run('inspect', 'a.csv', '--header-row', 'x').status, 64);
  assert.equal(run('inspect', 'a.csv', '--options', '{"bogus": 1}').status, 64);
});

test('--version names the pinned sources', () => {
  const result = run('--version');
  assert.equal(result.status, 0);
  const versions = JSON.parse(result.stdout);
  assert.equal(versions.debian_sources.simdjson, '3.0.1-1');
  assert.equal(versions.zlib, '1.2.13');
});
