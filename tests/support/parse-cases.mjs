// The cases of tests/data/parse: {name, input (Buffer), expected (rows), options}.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { dataDir } from './paths.mjs';

export function parseCases() {
  const folder = path.join(dataDir, 'parse');
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map(({ name }) => {
      const dir = path.join(folder, name);
      const optionsFile = path.join(dir, 'options.json');
      return {
        name,
        inputPath: path.join(dir, 'input.txt'),
        input: readFileSync(path.join(dir, 'input.txt')),
        expected: JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')),
        options: existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : {},
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
