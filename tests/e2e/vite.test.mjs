// The package in a Vite build: an app (tests/e2e/vite-app) that imports
// `sluice` and `sluice/worker` by name is bundled by Vite 7 against the
// package as npm would install it (node_modules/sluice), served as static
// files, and run in Chromium: the core, the Web Worker and a review session.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { build } from 'vite';

import { launchBrowser } from '../support/browser.mjs';
import { root } from '../support/paths.mjs';

let work;
let server;
let browser;
before(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'sluice-vite-'));
  cpSync(path.join(root, 'tests/e2e/vite-app'), path.join(work, 'app'), { recursive: true });
  mkdirSync(path.join(work, 'app/node_modules'));
  symlinkSync(root, path.join(work, 'app/node_modules/sluice'));
  await build({
    root: path.join(work, 'app'),
    logLevel: 'error',
    build: { outDir: path.join(work, 'dist'), emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' },
  });
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  server = http.createServer((req, res) => {
    const file = path.join(work, 'dist', new URL(req.url, 'http://x').pathname.replace(/\/$/, '/index.html'));
    if (!file.startsWith(path.join(work, 'dist'))) return res.writeHead(404).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a Vite-built app runs the package and its worker in Chromium', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('body[data-done="true"]', { state: 'attached', timeout: 60000 });
  const result = await page.evaluate(() => window.result);
  assert.deepEqual(errors, []);
  assert.deepEqual(result, {
    direct: [{ email: 'ada@example.com' }],
    worker: [{ email: 'ada@example.com' }],
    rowsWithError: 0,
    bigFileBytes: true,
    duplicates: 400000,
    inPasses: { same: true, loads: 2 },
    inPassesInWorker: true,
  });
});
