// The npm package in Node against every tests/data/readers case: the expected
// rows, inspection and error codes, and byte for byte what the CLI prints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

import { createSluice, SluiceError } from 'sluice';

import { readerCases, subsetMismatch } from '../support/reader-cases.mjs';
import { cliPath } from '../support/paths.mjs';

const sluice = await createSluice();
const cases = readerCases();

function attempt(fn) {
  try {
    return { value: fn() };
  } catch (error) {
    assert.ok(error instanceof SluiceError, `not a SluiceError: ${error}`);
    return { error };
  }
}

function cli(command, { inputPath, options }) {
  return spawnSync(cliPath, [command, inputPath, '--options', JSON.stringify(options)], { encoding: 'utf8' });
}

test('there are at least 80 reader cases', () => {
  assert.ok(cases.length >= 80, `found ${cases.length}`);
});

for (const c of cases) {
  test(`readers/${c.name}: package matches expected.json and the CLI`, () => {
    const parsed = attempt(() => sluice.parse(c.input, c.options));
    const inspected = attempt(() => sluice.inspect(c.input, c.options));
    const cliParse = cli('parse', c);
    const cliInspect = cli('inspect', c);

    if (c.expected.error) {
      assert.equal(inspected.error?.code, c.expected.error);
      assert.equal(cliInspect.status, 65);
      assert.equal(JSON.parse(cliInspect.stderr).error.code, c.expected.error);
      if (parsed.error) {
        assert.equal(parsed.error.code, c.expected.error);
        assert.equal(JSON.parse(cliParse.stderr).error.code, c.expected.error);
      }
      return;
    }
    assert.equal(parsed.error, undefined, parsed.error?.message);
    assert.equal(inspected.error, undefined, inspected.error?.message);
    if (c.expected.rows) assert.deepEqual(parsed.value, c.expected.rows);
    if (c.expected.inspect) {
      const why = subsetMismatch(c.expected.inspect, inspected.value, 'inspect');
      assert.equal(why, null, why);
    }
    // Byte for byte: the package's answer, serialised, is what the CLI printed.
    assert.equal(cliParse.status, 0, cliParse.stderr);
    assert.equal(JSON.stringify(parsed.value) + '\n', cliParse.stdout);
    assert.equal(cliInspect.status, 0, cliInspect.stderr);
    assert.equal(JSON.stringify(inspected.value) + '\n', cliInspect.stdout);
  });
}
