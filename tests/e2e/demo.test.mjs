// The package and the demo page in a real browser (Debian's Chromium): the
// core loads from the host, reads every parse case like the native build does,
// and the page shows a file's rows without sending it anywhere.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser } from '../support/browser.mjs';
import { startHost } from '../support/host.mjs';
import { dataDir, root } from '../support/paths.mjs';
import { readerCases } from '../support/reader-cases.mjs';

let host;
let browser;
let page;
const requests = [];

before(async () => {
  mkdirSync(path.join(root, 'test-output/demo'), { recursive: true });
  host = await startHost();
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('request', (request) => requests.push(request));
  await page.goto(host.url + '/');
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
});

after(async () => {
  await browser?.close();
  await host?.stop();
});

test('the package reads every reader case in Chromium as in Node', async () => {
  const cases = readerCases();
  const inputs = cases.map(({ name, input, options }) => ({ name, bytes: input.toString('base64'), options }));
  const results = await page.evaluate(async (all) => {
    const { createSluice } = await import('/pkg/js/index.js');
    const sluice = await createSluice();
    const decode = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return all.map(({ name, bytes, options }) => {
      try {
        return { name, rows: sluice.parse(decode(bytes), options), inspection: sluice.inspect(decode(bytes), options) };
      } catch (error) {
        return { name, error: error.code ?? String(error) };
      }
    });
  }, inputs);
  assert.equal(results.length, cases.length);
  for (const [i, result] of results.entries()) {
    const { expected } = cases[i];
    if (expected.error) {
      assert.equal(result.error, expected.error, result.name);
    } else {
      assert.equal(result.error, undefined, `${result.name}: ${result.error}`);
      if (expected.rows) assert.deepEqual(result.rows, expected.rows, result.name);
    }
  }
});

test('importFile gives every import case its expected verdict and rows in Chromium', async () => {
  const folder = path.join(dataDir, 'import');
  const cases = readdirSync(folder, { withFileTypes: true }).filter((e) => e.isDirectory()).map(({ name }) => {
    const dir = path.join(folder, name);
    const input = readdirSync(dir).find((file) => file.startsWith('input.'));
    const mappingFile = path.join(dir, 'mapping.json');
    return {
      name,
      bytes: readFileSync(path.join(dir, input)).toString('base64'),
      schema: readFileSync(path.join(dir, 'schema.json'), 'utf8'),
      options: existsSync(mappingFile) ? { mapping: JSON.parse(readFileSync(mappingFile, 'utf8')) } : {},
      expected: JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')),
    };
  });
  const results = await page.evaluate(async (all) => {
    const { createSluice } = await import('/pkg/js/index.js');
    const sluice = await createSluice();
    const decode = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return all.map(({ name, bytes, schema, options }) => {
      const result = sluice.importFile(decode(bytes), schema, options);
      return { name, outcome: result.outcome, rows: result.rows.toArray() };
    });
  }, cases.map(({ expected, ...rest }) => rest));
  assert.ok(results.length >= 150);
  for (const [i, result] of results.entries()) {
    const { expected } = cases[i];
    assert.equal(result.outcome, expected.outcome, result.name);
    if (expected.rows && expected.outcome !== 'FAILED') assert.deepEqual(result.rows, expected.rows, result.name);
  }
});

test('sluice/worker runs in a Web Worker in Chromium: progress, cancel, review sessions', async () => {
  const result = await page.evaluate(async () => {
    const { createSluiceWorker } = await import('/pkg/js/worker.js');
    const worker = await createSluiceWorker();
    const schema = { fields: [{ key: 'id', label: 'id', type: 'number', validators: [{ validate: 'unique' }] }] };
    let file = 'id\n';
    for (let i = 0; i < 200000; i++) file += `${i}\n`;
    const stages = [];
    const imported = await worker.importFile(file, schema, { onProgress: (p) => stages.push(p.stage) });
    const controller = new AbortController();
    let cancelled = null;
    try {
      await worker.importFile(file, schema, { signal: controller.signal, onProgress: () => controller.abort() });
    } catch (error) {
      cancelled = error.code;
    }
    const session = await worker.openReview('id\n1\n1\n', schema);
    const before = (await session.summary()).rowsWithError;
    await session.setCell(1, 'id', '2');
    const after = (await session.summary()).rowsWithError;
    await worker.terminate();
    return { rows: imported.rows.length, first: imported.rows.at(0), stages: [...new Set(stages)], cancelled, before, after };
  });
  assert.deepEqual(result, { rows: 200000, first: { id: 0 }, stages: ['read', 'check', 'done'], cancelled: 'cancelled',
    before: 2, after: 0 });
});

test('the demo page reads pasted text', async () => {
  await page.fill('#text', 'id;note\n1;"a; b"\n2;plain\n');
  await page.selectOption('#delimiter', ';');
  await page.click('#parse');
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('3 rows'));
  const cells = await page.$$eval('#rows tr', (rows) => rows.map((row) => [...row.cells].map((c) => c.textContent)));
  assert.deepEqual(cells, [['1', 'id', 'note'], ['2', '1', 'a; b'], ['3', '2', 'plain']]);
});

test('the demo page reads a chosen file without uploading it', async () => {
  const before = requests.length;
  await page.selectOption('#delimiter', '');
  await page.setInputFiles('#file', {
    name: 'contacts.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('name,city\r\n"Doe, Jane",Zürich\r\n'),
  });
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('2 rows'));
  const secondRow = await page.$$eval('#rows tr:nth-child(2) td', (cells) => cells.map((c) => c.textContent));
  assert.deepEqual(secondRow, ['Doe, Jane', 'Zürich']);
  assert.match(await page.textContent('#detected'), /^CSV · encoding utf-8 · delimiter "," · /);
  assert.equal(requests.length, before, 'reading a file made no request');
});

test('the demo page imports a sample with its schema and exports the cleaned rows', async () => {
  await page.selectOption('#sample', 'contacts');
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('8 rows'));
  const before = requests.length;
  await page.click('#import');
  await page.waitForFunction(() => document.querySelector('#outcome').textContent.startsWith('SUCCESSFUL: 6 rows'));
  const mapping = await page.$$eval('#mapping tr', (rows) => rows.map((row) => [...row.cells].slice(0, 2).map((c) => c.textContent)));
  assert.deepEqual(mapping.slice(1, 4), [['Customer ID', 'id'], ['Full Name', 'name'], ['E-mail', 'email']]);
  assert.ok(await page.locator('#checked td.cell-error').count() >= 5);
  assert.match(await page.locator('#checked td.cell-error').first().getAttribute('title'), /\S/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const csv = await new Promise((resolve, reject) => {
    download.createReadStream().then((stream) => {
      let text = '';
      stream.on('data', (chunk) => { text += chunk; });
      stream.on('end', () => resolve(text));
      stream.on('error', reject);
    }, reject);
  });
  const lines = csv.trim().split('\r\n');
  assert.equal(lines[0], 'id,name,email,signup_date,plan,country,spend');
  assert.equal(lines.length, 7);  // INCLUDE_INVALID_ROWS: every row
  assert.equal(requests.length, before, 'importing and exporting made no request');
  await page.screenshot({ path: path.join(root, 'test-output/demo/import.png'), fullPage: true });
});

test('a file dropped on the demo page is read like a chosen one', async () => {
  const before = requests.length;
  await page.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['a\tb\n1\t2\n3\t4\n'], 'dropped.tsv', { type: 'text/tab-separated-values' }));
    document.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('3 rows'));
  assert.match(await page.textContent('#detected'), /^TSV/);
  assert.equal(requests.length, before);
});

test('the demo page runs a schema\'s hooks in the page, sending nothing', async () => {
  await page.fill('#text', 'Name,Code\nada,x1\nbob,x2\n');
  await page.fill('#schema', JSON.stringify({
    fields: [{ key: 'name', label: 'Name' }, { key: 'code', label: 'Code' }],
    hooks: { rowHooks: ['(r) => ({ row: { name: { value: r.row.name.value.toUpperCase() } } })'] },
  }));
  await page.click('#import');
  await page.waitForFunction(() => document.querySelector('#outcome').textContent.startsWith('SUCCESSFUL: 2 rows'));
  const cells = await page.$$eval('#checked td', (tds) => tds.map((td) => td.textContent));
  assert.ok(cells.includes('ADA') && cells.includes('BOB'), cells.join('|'));
  // Only the sandbox's own files were fetched: the data stayed in the page.
  const fetched = requests.map((r) => new URL(r.url()).pathname).filter((p) => !p.startsWith('/pkg/') && p !== '/');
  assert.ok(fetched.every((p) => p.startsWith('/samples/') || p.endsWith('.css') || p.endsWith('.js')), fetched.join(' '));
});
