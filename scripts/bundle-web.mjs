#!/usr/bin/env node
// The hook sandbox for pages served as plain files (the demo and review
// pages, no bundler): wasm/js/hooks.js and its npm packages as one browser
// module, and QuickJS's .wasm beside it, in build/web/ (served at /pkg/web/).
// Apps that use a bundler import 'sluice/hooks' instead.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'build/web');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [path.join(root, 'wasm/js/hooks.js')],
  outfile: path.join(out, 'sluice-hooks.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  external: ['node:*'],
  logLevel: 'error',
});
copyFileSync(path.join(root, 'node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm'),
  path.join(out, 'quickjs.wasm'));
