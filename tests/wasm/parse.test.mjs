// The npm package in Node: every tests/data/parse case gives the expected rows,
// and byte-for-byte the CLI's output for the same bytes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

import { createSluice, SluiceError } from 'sluice';

import { parseCases } from '../support/parse-cases.mjs';
import { cliPath } from '../support/paths.mjs';

const sluice = await createSluice();

test('every parse case gives the expected rows', () => {
  const cases = parseCases();
  assert.ok(cases.length >= 20, `found ${cases.length} cases`);
  for (const { name, input, expected, options } of cases) {
    assert.deepEqual(sluice.parse(input, options), expected, name);
  }
});

test('the package and the CLI agree byte for byte', () => {
  for (const { name, inputPath, input, options } of parseCases()) {
    const args = ['parse', inputPath];
    if (options.delimiter) args.push('--delimiter', options.delimiter);
    const cli = execFileSync(cliPath, args);
    const fromPackage = JSON.stringify(sluice.parse(input, options));
    // The CLI ends its output with a newline; JSON.stringify of the package's
    // rows reproduces the core's compact JSON exactly.
    assert.equal(fromPackage + '\n', cli.toString('utf8'), name);
  }
});

test('accepts strings, ArrayBuffers and typed-array views', () => {
  const bytes = new TextEncoder().encode('a,b\n1,2\n');
  const expected = [['a', 'b'], ['1', '2']];
  assert.deepEqual(sluice.parse('a,b\n1,2\n'), expected);
  assert.deepEqual(sluice.parse(bytes.buffer), expected);
  assert.deepEqual(sluice.parse(new DataView(bytes.buffer)), expected);
  assert.throws(() => sluice.parse(42), TypeError);
});

test('a bad option is a SluiceError with a stable code', () => {
  assert.throws(() => sluice.parse('a', { delimiter: ',,' }),
    (error) => error instanceof SluiceError && error.code === 'invalid_option');
});

test('reports the versions it was built from', () => {
  const versions = sluice.versions();
  assert.match(versions.sluice, /^\d+\.\d+\.\d+$/);
  assert.equal(versions.debian_sources.re2, '20220601+dfsg-1');
});
