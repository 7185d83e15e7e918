// The cases of tests/data/readers: {name, inputPath, input (Buffer), expected, options}.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { dataDir } from './paths.mjs';

export function readerCases() {
  const folder = path.join(dataDir, 'readers');
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map(({ name }) => {
      const dir = path.join(folder, name);
      const inputName = readdirSync(dir).find((file) => file.startsWith('input.'));
      const optionsFile = path.join(dir, 'options.json');
      return {
        name,
        inputPath: path.join(dir, inputName),
        input: readFileSync(path.join(dir, inputName)),
        expected: JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')),
        options: existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : {},
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Objects: every expected key matches; arrays: same length, element-wise (as tests/core/readers_test.cpp). */
export function subsetMismatch(expected, actual, where = '$') {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${where} is not an object`;
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual)) return `${where}.${key} is missing`;
      const why = subsetMismatch(value, actual[key], `${where}.${key}`);
      if (why) return why;
    }
    return null;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const why = subsetMismatch(expected[i], actual[i], `${where}[${i}]`);
      if (why) return why;
    }
    return null;
  }
  return Object.is(expected, actual) || expected === actual ? null
    : `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}
