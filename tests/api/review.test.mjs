// The review routes through a running host: an import that needs review, its
// review_url's token opening GET (the page's starting point) and the file's
// bytes, a person's review POSTed and run again by the host's job runner,
// SUCCESSFUL with the corrected rows. Written to run unchanged against any
// host startHost() starts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startHost } from '../support/host.mjs';

let host;
before(async () => {
  host = await startHost({ env: { SLUICE_API_KEYS: 'acme:acme-key', SLUICE_RATE_LIMITS: 'off' } });
});
after(async () => { await host?.stop(); });

const api = (path, { method = 'GET', body } = {}) =>
  fetch(`${host.url}/api/v1${path}`, {
    method,
    headers: { 'x-dromo-license-key': 'acme-key', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

async function waitForStatus(id, wanted) {
  const deadline = Date.now() + 15000;
  for (;;) {
    const record = await (await api(`/headless/imports/${id}/`)).json();
    if (wanted.includes(record.status)) return record;
    if (Date.now() > deadline) throw new Error(`import ${id} stayed ${record.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const FIELDS = [
  { key: 'name', label: 'Name', validators: [{ validate: 'required' }] },
  { key: 'email', label: 'Email', type: 'email', validators: [{ validate: 'unique' }] },
  { key: 'age', label: 'Age', type: 'number', validators: [{ validate: 'required' }] },
];
// A title row, a name column nobody can match, a bad age, a duplicate email;
// errors block submitting.
const FILE = 'Contacts export 2026\r\nWho,Email,Age\r\nAda,ada@x.io,36\r\nBob,ada@x.io,forty\r\n';

test('a person reviews an import: header, mapping and edits, then SUCCESSFUL', async () => {
  const created = await (await api('/headless/imports/', {
    method: 'POST', body: { fields: FIELDS, settings: { invalidDataBehavior: 'BLOCK_SUBMIT' }, original_filename: 'c.csv' },
  })).json();
  assert.equal((await fetch(created.upload, { method: 'PUT', body: FILE })).status, 200);
  const needs = await waitForStatus(created.id, ['SUCCESSFUL', 'NEEDS_REVIEW', 'FAILED']);
  assert.equal(needs.status, 'NEEDS_REVIEW', JSON.stringify(needs));
  assert.deepEqual(needs.import_errors.map((e) => e.code).sort(), ['field_unmapped', 'invalid_data']);
  const reviewUrl = new URL(needs.review_url);
  assert.equal(reviewUrl.pathname, `/review/${created.id}`);
  const token = reviewUrl.searchParams.get('token');
  const reviewPath = `/headless/imports/${created.id}/review/?token=${encodeURIComponent(token)}`;

  // Without the token, or with an API key only: nothing.
  assert.equal((await api(`/headless/imports/${created.id}/review/`)).status, 401);
  const view = await (await fetch(`${host.url}/api/v1${reviewPath}`)).json();
  assert.equal(view.status, 'NEEDS_REVIEW');
  assert.deepEqual(view.review.rawHeaders, ['Who', 'Email', 'Age']);
  assert.equal(view.review.detected.headerRow, 1);
  assert.deepEqual(view.schema.fields, FIELDS);
  const bytes = await fetch(view.file_url);
  assert.equal(bytes.status, 200);
  assert.equal(await bytes.text(), FILE);

  // A malformed review is refused; a bad one is stored as nothing.
  const refused = await fetch(`${host.url}/api/v1${reviewPath}`, { method: 'POST', body: '{"mapping": {"x": "name"}}' });
  assert.equal(refused.status, 422);
  assert.equal((await refused.json()).error.details[0].path, '$.mapping.x');

  const review = {
    headerRow: 1,
    mapping: { 0: 'name', 1: 'email', 2: 'age' },
    edits: [{ rowIndex: 1, fieldKey: 'email', value: 'bob@x.io' }, { rowIndex: 1, fieldKey: 'age', value: '40' }],
    addedRows: [{ name: 'Cy', email: 'cy@x.io', age: '7' }],
  };
  const submitted = await fetch(`${host.url}/api/v1${reviewPath}`, { method: 'POST', body: JSON.stringify(review) });
  assert.equal(submitted.status, 202, await submitted.clone().text());
  const done = await waitForStatus(created.id, ['SUCCESSFUL', 'NEEDS_REVIEW', 'FAILED']);
  assert.equal(done.status, 'SUCCESSFUL', JSON.stringify(done.import_errors));
  assert.equal(done.review_url, undefined);
  const { presigned_url: url } = await (await api(`/headless/imports/${created.id}/url/`)).json();
  assert.deepEqual(await (await fetch(url)).json(), [
    { name: 'Ada', email: 'ada@x.io', age: 36 },
    { name: 'Bob', email: 'bob@x.io', age: 40 },
    { name: 'Cy', email: 'cy@x.io', age: 7 },
  ]);
  const after = await (await fetch(`${host.url}/api/v1${reviewPath}`)).json();
  assert.equal(after.status, 'SUCCESSFUL');
  assert.deepEqual(after.submission, review);
  // Reviewed once: a second submission is refused.
  assert.equal((await fetch(`${host.url}/api/v1${reviewPath}`, { method: 'POST', body: '{}' })).status, 409);
});
