// Headless imports through a running host, as a Dromo client uses them: the
// file flow (signed upload URL) and the JSON flow, each status and reason,
// signed URLs altered and expired, idempotent creates, isolation, and a host
// killed mid-processing. Written to run unchanged against any host startHost() starts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { hostKind, startHost } from '../support/host.mjs';

let host;
before(async () => {
  // This suite polls fast and creates many imports: limits are tested apart (rate-limits.test.mjs).
  host = await startHost({ env: { SLUICE_API_KEYS: 'acme:acme-key,globex:globex-key', SLUICE_RATE_LIMITS: 'off' } });
});
after(async () => { await host?.stop(); });

const api = (target, path, { key = 'acme-key', method = 'GET', body, headers = {} } = {}) =>
  fetch(`${target.url}/api/v1${path}`, {
    method,
    headers: { 'x-dromo-license-key': key, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });

const FIELDS = [
  { key: 'name', label: 'Name', validators: [{ validate: 'required' }] },
  { key: 'email', label: 'Email', type: 'email', validators: [{ validate: 'unique' }] },
];

async function waitForStatus(target, id, wanted, key = 'acme-key') {
  const deadline = Date.now() + 15000;
  for (;;) {
    const record = await (await api(target, `/headless/imports/${id}/`, { key })).json();
    if (wanted.includes(record.status)) return record;
    if (Date.now() > deadline) throw new Error(`import ${id} stayed ${record.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('file flow: create, upload through the signed URL, poll, fetch the cleaned rows', async () => {
  const schema = await (await api(host, '/schemas/', {
    method: 'POST', body: { name: 'contacts', fields: FIELDS, settings: { importIdentifier: 'contacts' } },
  })).json();
  const created = await api(host, '/headless/imports/', {
    method: 'POST', body: { schema_id: schema.id, original_filename: 'contacts.csv', import_metadata: { user: { id: 'u1' } } },
  });
  assert.equal(created.status, 201);
  const record = await created.json();
  assert.equal(record.status, 'AWAITING_UPLOAD');
  assert.match(record.upload, /\/uploads\/acme\/[0-9a-f-]{36}\?expires=\d+&signature=[0-9a-f]{64}$/);

  const file = 'Name,E-mail\r\nAda Lovelace,ada@example.com\r\nGrace Hopper,grace@example.com\r\n';
  assert.equal((await fetch(record.upload, { method: 'PUT', body: file })).status, 200);
  assert.equal((await fetch(record.upload, { method: 'PUT', body: file })).status, 409);

  const done = await waitForStatus(host, record.id, ['SUCCESSFUL', 'NEEDS_REVIEW', 'FAILED']);
  assert.equal(done.status, 'SUCCESSFUL', JSON.stringify(done.import_errors));
  assert.equal(done.result_metadata.num_data_rows, 2);
  assert.equal(done.result_metadata.fields.email.fileHeader, 'E-mail');
  assert.deepEqual(done.import_metadata, { user: { id: 'u1' } });

  const { presigned_url: url } = await (await api(host, `/headless/imports/${record.id}/url/`)).json();
  const rows = await (await fetch(url)).json();
  assert.deepEqual(rows, [{ name: 'Ada Lovelace', email: 'ada@example.com' }, { name: 'Grace Hopper', email: 'grace@example.com' }]);
  const csv = await (await fetch(`${url}&format=csv`)).text();
  assert.equal(csv, 'name,email\r\nAda Lovelace,ada@example.com\r\nGrace Hopper,grace@example.com\r\n');
  const ndjson = await fetch(`${url}&format=ndjson`);
  assert.equal(ndjson.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
  assert.equal((await ndjson.text()).trim().split('\n').length, 2);
});

test('JSON flow: initial_data processes at once, without an upload URL', async () => {
  const created = await api(host, '/headless/imports/', {
    method: 'POST', body: { fields: FIELDS, initial_data: [{ Name: 'Ada', Email: 'ada@x.io' }, { Name: 'Bob', Email: 'bob@x.io' }] },
  });
  assert.equal(created.status, 201);
  const record = await created.json();
  assert.equal(record.upload, undefined);
  const done = await waitForStatus(host, record.id, ['SUCCESSFUL', 'NEEDS_REVIEW', 'FAILED']);
  assert.equal(done.status, 'SUCCESSFUL');
  assert.equal(done.result_metadata.num_output_rows, 2);
});

test('NEEDS_REVIEW and FAILED carry their reasons', async () => {
  const review = await (await api(host, '/headless/imports/', {
    method: 'POST',
    body: { fields: FIELDS, settings: { invalidDataBehavior: 'BLOCK_SUBMIT' },
      initial_data: [{ Name: 'Ada', Email: 'a@x.io' }, { Name: 'Bob', Email: 'a@x.io' }] },
  })).json();
  const failed = await (await api(host, '/headless/imports/', {
    method: 'POST', body: { fields: FIELDS, original_filename: 'report.pdf' },
  })).json();
  await fetch(failed.upload, { method: 'PUT', body: '%PDF-1.7\n%binary' });
  const r = await waitForStatus(host, review.id, ['NEEDS_REVIEW', 'SUCCESSFUL', 'FAILED']);
  assert.equal(r.status, 'NEEDS_REVIEW', JSON.stringify(r));
  assert.deepEqual(r.import_errors.map((e) => e.code), ['invalid_data'], JSON.stringify(r));
  assert.match(r.review_url, new RegExp(`/review/${review.id}\\?token=acme\\.`));
  const f = await waitForStatus(host, failed.id, ['FAILED', 'SUCCESSFUL', 'NEEDS_REVIEW']);
  assert.equal(f.status, 'FAILED');
  assert.equal(f.import_errors[0].code, 'unsupported_format');
  assert.equal((await api(host, `/headless/imports/${failed.id}/url/`)).status, 409);
});

test('altered and expired URLs are refused', async () => {
  const record = await (await api(host, '/headless/imports/', {
    method: 'POST', body: { fields: FIELDS, original_filename: 'a.csv' },
  })).json();
  // One hex digit of the signature changed (to another digit: a signature
  // that already starts with "0" must not come out unchanged, 1 time in 16).
  const altered = record.upload.replace(/signature=(.)/, (_, digit) => `signature=${digit === '0' ? '1' : '0'}`);
  assert.notEqual(altered, record.upload);
  assert.equal((await fetch(altered, { method: 'PUT', body: 'Name\nAda\n' })).status, 403);
  const otherImport = record.upload.replace(/\/acme\/[^?]+/, '/acme/00000000-0000-4000-8000-000000000000');
  assert.equal((await fetch(otherImport, { method: 'PUT', body: 'Name\nAda\n' })).status, 403);

  const later = await startHost({ env: { SLUICE_API_KEYS: 'acme:acme-key', SLUICE_CLOCK_OFFSET_MS: String(31 * 60 * 1000),
    SLUICE_RATE_LIMITS: 'off' }, dataDir: host.dataDir });
  try {
    const expired = record.upload.replace(host.url, later.url);
    const response = await fetch(expired, { method: 'PUT', body: 'Name\nAda\n' });
    const body = await response.text();
    assert.equal(response.status, 410, `${body}\n${later.output()}`);
    assert.equal(JSON.parse(body).error.code, 'url_expired');
  } finally {
    await later.stop({ keepData: true });
  }
});

test('an upload over maxFileSize is 413', async () => {
  const record = await (await api(host, '/headless/imports/', {
    method: 'POST', body: { fields: FIELDS, settings: { maxFileSize: 16 }, original_filename: 'a.csv' },
  })).json();
  assert.equal((await fetch(record.upload, { method: 'PUT', body: 'Name,Email\nAda,ada@x.io\n' })).status, 413);
});

test('Idempotency-Key makes retries return the same import', async () => {
  const send = () => api(host, '/headless/imports/', {
    method: 'POST', body: { fields: FIELDS, original_filename: 'a.csv' }, headers: { 'idempotency-key': 'retry-1' },
  });
  const [a, b] = [await (await send()).json(), await (await send()).json()];
  assert.equal(a.id, b.id);
});

test('list pages and delete removes the import', async () => {
  const page = await (await api(host, '/headless/imports/?limit=2')).json();
  assert.ok(page.count >= 4);
  assert.equal(page.results.length, 2);
  assert.match(page.next, /offset=2&limit=2$/);
  assert.equal(page.previous, null);
  const id = page.results[0].id;
  assert.equal((await api(host, `/headless/imports/${id}/`, { method: 'DELETE' })).status, 204);
  assert.equal((await api(host, `/headless/imports/${id}/`)).status, 404);
});

test('one organisation never sees another\u2019s imports', async () => {
  const record = await (await api(host, '/headless/imports/', {
    method: 'POST', body: { fields: FIELDS, initial_data: [{ Name: 'Ada' }] },
  })).json();
  assert.equal((await api(host, `/headless/imports/${record.id}/`, { key: 'globex-key' })).status, 404);
  assert.equal((await api(host, `/headless/imports/${record.id}/url/`, { key: 'globex-key' })).status, 404);
  const theirs = await (await api(host, '/headless/imports/', { key: 'globex-key' })).json();
  assert.ok(!theirs.results.some((r) => r.id === record.id));
});

test('a host killed with SIGKILL resumes its pending imports after a restart', async () => {
  const paused = await startHost({ env: { SLUICE_API_KEYS: 'acme:acme-key', SLUICE_JOBS: 'off', SLUICE_RATE_LIMITS: 'off' } });
  let record;
  try {
    record = await (await api(paused, '/headless/imports/', {
      method: 'POST', body: { fields: FIELDS, initial_data: [{ Name: 'Ada', Email: 'ada@x.io' }] },
    })).json();
    assert.equal((await (await api(paused, `/headless/imports/${record.id}/`)).json()).status, 'PENDING');
  } finally {
    await paused.kill('SIGKILL');
  }
  const restarted = await startHost({ env: { SLUICE_API_KEYS: 'acme:acme-key', SLUICE_RATE_LIMITS: 'off' }, dataDir: paused.dataDir });
  try {
    const done = await waitForStatus(restarted, record.id, ['SUCCESSFUL', 'NEEDS_REVIEW', 'FAILED']);
    assert.equal(done.status, 'SUCCESSFUL');
  } finally {
    await restarted.stop();
  }
});

test('a running import shows its progress to polls', async () => {
  const lines = ['Name,Email'];
  for (let i = 0; i < 600000; i++) lines.push(`Person ${i},p${i}@example.com`);
  const record = await (await api(host, '/headless/imports/', {
    method: 'POST', body: { fields: FIELDS, original_filename: 'big.csv' },
  })).json();
  assert.equal((await fetch(record.upload, { method: 'PUT', body: lines.join('\n') })).status, 200);
  const seen = [];
  for (;;) {
    const current = await (await api(host, `/headless/imports/${record.id}/`)).json();
    if (current.status === 'RUNNING' && current.result_metadata?.progress?.stage) seen.push(current.result_metadata.progress);
    if (current.status === 'SUCCESSFUL' || current.status === 'FAILED' || current.status === 'NEEDS_REVIEW') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Reading is most of the time; the checks are quick: polls see the file
  // read (its rows counted) and the work moving forward, never back.
  assert.ok(seen.length > 0, 'no poll saw progress');
  assert.deepEqual({ rows: seen[0].rows, total: seen[0].total, bytes: seen[0].bytes > 0 }, { rows: 600000, total: 1200000, bytes: true });
  assert.ok(seen.every((p) => ['read', 'check', 'done'].includes(p.stage)));
  assert.ok(seen.every((p, i) => i === 0 || p.done >= seen[i - 1].done));
  // The module read the upload itself, in pieces (never passed whole); the
  // Workers host reads R2 in ranges and writes the results (35 MB as JSON)
  // in multipart parts, during the call.
  const { presigned_url: url } = await (await api(host, `/headless/imports/${record.id}/url/`)).json();
  const rows = await (await fetch(url)).json();
  assert.equal(rows.length, 600000);
  assert.deepEqual(rows[599999], { name: 'Person 599999', email: 'p599999@example.com' });
  const done = new RegExp(`job process_import acme/${record.id} done in [\\d.]+ms \\(the upload read by the module\\)(.*)`);
  await host.waitForOutput(done);
  if (hostKind === 'workers') {
    const [, ranges, parts] = /: (\d+) range reads, (\d+) parts written/.exec(done.exec(host.output())[1]);
    assert.ok(Number(ranges) >= 6 && Number(parts) >= 4, `${ranges} range reads, ${parts} parts`);
  }
});
