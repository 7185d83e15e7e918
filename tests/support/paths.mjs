// Where the built artifacts and the test data are, for every node --test suite.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = path.join(root, 'build/native/sluice');
export const edgeWasmPath = path.join(root, 'build/wasi/sluice-edge.wasm');
export const dataDir = path.join(root, 'tests/data');
