// `npm pack` gives a package that installs in an empty folder (its only
// dependencies, QuickJS for hooks, come from npm's cache) and works there.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { root } from '../support/paths.mjs';

test('the packed package installs and runs in an empty folder', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sluice-pack-'));
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' });
  const [packed] = JSON.parse(output);
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, ['README.md', 'package.json', 'wasm/dist/sluice-core.mjs', 'wasm/dist/sluice-core.wasm',
    'wasm/js/hook-rounds.js', 'wasm/js/hooks.d.ts', 'wasm/js/hooks.js', 'wasm/js/index.d.ts', 'wasm/js/index.js', 'wasm/js/worker-thread.js', 'wasm/js/worker.d.ts', 'wasm/js/worker.js']);

  const app = path.join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(work, packed.filename)],
    { cwd: app, stdio: 'pipe' });
  assert.ok(readdirSync(path.join(app, 'node_modules')).includes('sluice'));
  writeFileSync(path.join(app, 'main.mjs'), `
    import { createSluice } from 'sluice';
    import { createSluiceWorker } from 'sluice/worker';
    import { createHookRunner } from 'sluice/hooks';
    const schema = { fields: [{ key: 'email', label: 'Email', type: 'email' }] };
    const sluice = await createSluice();
    const result = sluice.importFile('Email\\nada@example.com\\n', schema);
    const worker = await createSluiceWorker();
    const inWorker = await worker.importFile('Email\\nada@example.com\\n', schema);
    await worker.terminate();
    const hooked = await sluice.importWithHooks('Email\\nADA@example.com\\n',
      { ...schema, hooks: { rowHooks: ['(r) => ({ row: { email: { value: r.row.email.value.toLowerCase() } } })'] } },
      { hookRunner: await createHookRunner() });
    console.log(JSON.stringify({ outcome: result.outcome, rows: result.rows.toArray(), worker: inWorker.rows.toArray(),
      hooked: hooked.rows.toArray() }));
  `);
  const run = JSON.parse(execFileSync(process.execPath, ['main.mjs'], { cwd: app, encoding: 'utf8' }));
  assert.deepEqual(run, { outcome: 'SUCCESSFUL', rows: [{ email: 'ada@example.com' }], worker: [{ email: 'ada@example.com' }],
    hooked: [{ email: 'ada@example.com' }] });
});
