// The review page, driven as a person would in Chromium: a messy file (a
// title row, a column nobody can match, bad cells) goes NEEDS_REVIEW through
// the API; the test opens review_url, sets the header row, fixes the mapping,
// edits cells, uses find & replace, undo and redo, submits; the API then says
// SUCCESSFUL with the corrected rows. Screenshots of each step go to
// test-output/review/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser } from '../support/browser.mjs';
import { startHost } from '../support/host.mjs';
import { root } from '../support/paths.mjs';

const shots = path.join(root, 'test-output/review');
let host;
let browser;
before(async () => {
  mkdirSync(shots, { recursive: true });
  host = await startHost({ env: { SLUICE_API_KEYS: 'acme:acme-key', SLUICE_RATE_LIMITS: 'off' } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await host?.stop();
});

const headers = { 'x-dromo-license-key': 'acme-key', 'content-type': 'application/json' };
const FIELDS = [
  { key: 'name', label: 'Name', validators: [{ validate: 'required' }] },
  { key: 'email', label: 'Email', type: 'email', validators: [{ validate: 'unique' }] },
  { key: 'age', label: 'Age', type: 'number' },
];
const FILE = 'Contacts export 2026\nWho,Email,Age\nAda,ada@x.io,36\nBob,ada@x.io,forty\nCy,cy@x,7\n';

async function record(id) {
  return (await fetch(`${host.url}/api/v1/headless/imports/${id}/`, { headers })).json();
}
async function settled(id) {
  for (;;) {
    const current = await record(id);
    if (current.status !== 'PENDING' && current.status !== 'RUNNING' && current.status !== 'AWAITING_UPLOAD') return current;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a person fixes an import on the review page and the API says SUCCESSFUL', async () => {
  const created = await (await fetch(`${host.url}/api/v1/headless/imports/`, {
    method: 'POST', headers,
    body: JSON.stringify({ fields: FIELDS, settings: { invalidDataBehavior: 'BLOCK_SUBMIT' }, original_filename: 'contacts.csv' }),
  })).json();
  await fetch(created.upload, { method: 'PUT', body: FILE });
  const needs = await settled(created.id);
  assert.equal(needs.status, 'NEEDS_REVIEW');

  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(needs.review_url);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 20000 });
  // It opens on the step that needs the person: the unmatched required column.
  await page.getByRole('heading', { name: 'Match the file\'s columns to the fields' }).waitFor();
  await page.screenshot({ path: path.join(shots, '1-mapping.png') });

  // Header row: the title row is wrong (the columns become "Contacts export
  // 2026"); the person puts it back on the row with the column names.
  await page.getByRole('button', { name: '1. Header row' }).click();
  await page.getByRole('radio', { name: 'Row 1 holds the column names' }).check();
  await page.waitForFunction(() => document.querySelector('#counts').textContent.startsWith('4 rows'));
  await page.getByRole('radio', { name: 'Row 2 holds the column names' }).check();
  await page.waitForFunction(() => document.querySelector('#counts').textContent.startsWith('3 rows'));
  await page.screenshot({ path: path.join(shots, '2-header.png') });

  // Mapping: "Who" is the name.
  await page.getByRole('button', { name: '2. Columns' }).click();
  await page.getByRole('combobox', { name: 'Field for the column Who' }).selectOption('name');
  await page.getByText('Every required field has a column.').waitFor();
  await page.screenshot({ path: path.join(shots, '3-mapping-fixed.png') });

  // Data: errors are coloured; fix them.
  await page.getByRole('button', { name: '3. Data' }).click();
  await page.waitForSelector('.cell.error');
  await page.screenshot({ path: path.join(shots, '4-grid-errors.png') });
  const cell = (row, col) => page.locator(`.cell[data-display="${row}"][data-col="${col}"]`);
  // Age "forty": typed over.
  await cell(1, 2).click();
  await page.keyboard.type('40');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.querySelector('.cell[data-display="1"][data-col="2"]')?.classList.contains('error'));
  // Bob's duplicate email: edited, undone (the duplicate is back), redone.
  await cell(1, 1).dblclick();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('bob@x.io');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.querySelector('.cell[data-display="0"][data-col="1"]')?.classList.contains('error'));
  await page.keyboard.press('Control+Z');
  await page.waitForFunction(() => document.querySelector('.cell[data-display="0"][data-col="1"]')?.classList.contains('error'));
  await page.keyboard.press('Control+Y');
  await page.waitForFunction(() => !document.querySelector('.cell[data-display="0"][data-col="1"]')?.classList.contains('error'));
  // "cy@x" through find & replace.
  await page.getByText('Find & replace').click();
  await page.getByLabel('Find', { exact: true }).fill('cy@x');
  await page.getByLabel('Replace with').fill('cy@x.io');
  await page.getByRole('combobox', { name: 'Column to search' }).selectOption('email');
  await page.getByLabel('Whole cell').check();
  await page.getByRole('button', { name: 'Replace all' }).click();
  await page.getByText('Replaced 1 cell.').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.cell.error').length === 0);
  assert.match(await page.locator('#counts').textContent(), /^3 rows · 0 with errors/);
  await page.screenshot({ path: path.join(shots, '5-grid-fixed.png') });

  // Submit: the server runs the import again on these changes.
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Done: the import is complete.' }).waitFor({ timeout: 20000 });
  await page.screenshot({ path: path.join(shots, '6-done.png') });
  assert.deepEqual(errors, []);

  const done = await record(created.id);
  assert.equal(done.status, 'SUCCESSFUL');
  const { presigned_url: url } = await (await fetch(`${host.url}/api/v1/headless/imports/${created.id}/url/`, { headers })).json();
  assert.deepEqual(await (await fetch(url)).json(), [
    { name: 'Ada', email: 'ada@x.io', age: 36 },
    { name: 'Bob', email: 'bob@x.io', age: 40 },
    { name: 'Cy', email: 'cy@x.io', age: 7 },
  ]);
  // The link now shows the done state.
  await page.reload();
  await page.getByRole('heading', { name: 'Done: the import is complete.' }).waitFor();
});

test('a narrow screen and the keyboard: the grid moves with arrows, a bad link says so', async () => {
  const created = await (await fetch(`${host.url}/api/v1/headless/imports/`, {
    method: 'POST', headers,
    body: JSON.stringify({ fields: FIELDS, settings: { invalidDataBehavior: 'BLOCK_SUBMIT' }, initial_data: [
      { Name: 'Ada', Email: 'ada@x.io', Age: 'x' }, { Name: 'Bob', Email: 'bob@x.io', Age: '2' }] }),
  })).json();
  const needs = await settled(created.id);
  const page = await browser.newPage({ viewport: { width: 390, height: 760 } });
  await page.goto(needs.review_url);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 20000 });
  await page.getByRole('button', { name: '3. Data' }).click();
  await page.waitForSelector('.cell');
  await page.locator('.cell[data-display="0"][data-col="0"]').click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.match(await page.locator('#cell-message').textContent(), /^Row 1, Age: error: /);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('1');
  await page.keyboard.press('Escape');  // cancelled: still an error
  assert.match(await page.locator('#cell-message').textContent(), /error/);
  await page.screenshot({ path: path.join(shots, '7-narrow.png') });

  await page.goto(needs.review_url.replace(/token=[^&]+/, 'token=acme.1.00'));
  await page.waitForSelector('body[data-ready="error"]', { state: 'attached', timeout: 20000 });
  assert.match(await page.locator('#problem').textContent(), /cannot be opened/);
});

test('values of a select field are mapped to its options on the columns step', async () => {
  const fields = [{ key: 'name', label: 'Name' }, { key: 'plan', label: 'Plan', type: 'select', selectOptions: [
    { label: 'Free', value: 'free' }, { label: 'Team', value: 'team' }] }];
  const created = await (await fetch(`${host.url}/api/v1/headless/imports/`, {
    method: 'POST', headers,
    body: JSON.stringify({ fields, settings: { invalidDataBehavior: 'BLOCK_SUBMIT' }, initial_data: [
      { Name: 'Ada', Plan: 'Free' }, { Name: 'Bob', Plan: 'Enterprise' }, { Name: 'Cy', Plan: 'Enterprise' }] }),
  })).json();
  const needs = await settled(created.id);
  assert.equal(needs.status, 'NEEDS_REVIEW');
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(needs.review_url);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 20000 });
  await page.getByRole('button', { name: '2. Columns' }).click();
  await page.getByRole('combobox', { name: 'Option for the value Enterprise of Plan' }).selectOption('team');
  await page.waitForFunction(() => document.querySelector('#counts').textContent.includes('0 with errors'));
  await page.screenshot({ path: path.join(shots, '8-options.png') });
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Done: the import is complete.' }).waitFor({ timeout: 20000 });
  const { presigned_url: url } = await (await fetch(`${host.url}/api/v1/headless/imports/${created.id}/url/`, { headers })).json();
  assert.deepEqual(await (await fetch(url)).json(), [
    { name: 'Ada', plan: 'free' }, { name: 'Bob', plan: 'team' }, { name: 'Cy', plan: 'team' }]);
});

test('the schema\'s hooks run on the review page as on the server, again after each edit', async () => {
  const fields = [
    { key: 'name', label: 'Name', validators: [{ validate: 'required' }] },
    { key: 'email', label: 'Email', type: 'email' },
    { key: 'note', label: 'Note' },
  ];
  const hooks = { rowHooks: ['async (r, mode) => ({ row: { note: { value: `${mode}:${r.row.name.value.toUpperCase()}` } } })'] };
  const created = await (await fetch(`${host.url}/api/v1/headless/imports/`, {
    method: 'POST', headers,
    body: JSON.stringify({ fields, hooks, settings: { invalidDataBehavior: 'BLOCK_SUBMIT' }, initial_data: [
      { Name: 'Ada', Email: 'ada@x.io' }, { Name: 'Bob', Email: 'bob@x' }] }),
  })).json();
  const needs = await settled(created.id);
  assert.equal(needs.status, 'NEEDS_REVIEW', JSON.stringify(needs.import_errors));

  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(needs.review_url);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 20000 });
  await page.getByRole('button', { name: '3. Data' }).click();
  const cell = (row, col) => page.locator(`.cell[data-display="${row}"][data-col="${col}"]`);
  await page.waitForFunction(() => document.querySelector('.cell[data-display="1"][data-col="2"]')?.textContent === 'init:BOB');
  // The person renames Bob: the hooks run again, his row in update mode.
  await cell(1, 0).dblclick();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Robert');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.cell[data-display="1"][data-col="2"]')?.textContent === 'update:ROBERT');
  assert.equal(await cell(0, 2).textContent(), 'init:ADA');
  await cell(1, 1).dblclick();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('bob@x.io');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('.cell.error').length === 0);
  await page.screenshot({ path: path.join(shots, '9-hooks.png') });
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Done: the import is complete.' }).waitFor({ timeout: 20000 });
  assert.deepEqual(errors, []);

  // The server's run of the same changes: the same rows the page showed.
  const { presigned_url: url } = await (await fetch(`${host.url}/api/v1/headless/imports/${created.id}/url/`, { headers })).json();
  assert.deepEqual(await (await fetch(url)).json(), [
    { name: 'Ada', email: 'ada@x.io', note: 'init:ADA' },
    { name: 'Robert', email: 'bob@x.io', note: 'update:ROBERT' },
  ]);
});
