// The saved-schema API through the Node host (SQLite underneath): written so
// it runs unchanged against any host that startHost() can start.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startHost } from '../support/host.mjs';

let host;
before(async () => {
  host = await startHost({ env: { SLUICE_API_KEYS: 'acme:acme-key,globex:globex-key' } });
});
after(async () => { await host?.stop(); });

const api = (path, { key = 'acme-key', method = 'GET', body, bearer = false } = {}) => fetch(`${host.url}/api/v1${path}`, {
  method,
  headers: {
    ...(key ? (bearer ? { authorization: `Bearer ${key}` } : { 'x-dromo-license-key': key }) : {}),
    ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
  },
  body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
});

const schema = (name) => ({
  name,
  fields: [{ key: 'email', label: 'Email', type: 'email', validators: [{ validate: 'required' }] }],
  settings: { importIdentifier: name },
});

test('requests without a valid key are 401', async () => {
  for (const key of ['', 'nope']) {
    const response = await api('/schemas/', { key });
    assert.equal(response.status, 401);
    assert.equal((await response.json()).error.code, 'unauthorized');
  }
  assert.equal((await api('/schemas/', { bearer: true })).status, 200);
});

test('create, get, list, replace and delete a schema', async () => {
  const created = await api('/schemas/', { method: 'POST', body: schema('contacts') });
  assert.equal(created.status, 201);
  const body = await created.json();
  assert.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(body.name, 'contacts');
  assert.ok(Date.parse(body.created_date) > Date.now() - 60000);

  assert.deepEqual(await (await api(`/schemas/${body.id}/`)).json(), body);
  assert.ok((await (await api('/schemas')).json()).some((s) => s.id === body.id));

  const replaced = await api(`/schemas/${body.id}`, { method: 'PUT', body: schema('contacts-v2') });
  assert.equal(replaced.status, 200);
  assert.equal((await replaced.json()).name, 'contacts-v2');

  assert.equal((await api(`/schemas/${body.id}/`, { method: 'DELETE' })).status, 204);
  assert.equal((await api(`/schemas/${body.id}/`)).status, 404);
});

test('an invalid schema is 422 with every problem and its path', async () => {
  const response = await api('/schemas/', {
    method: 'POST',
    body: { name: 'bad', fields: [{ key: 'a', label: 'A', type: 'money' }, { key: 'a', label: 'B' }] },
  });
  assert.equal(response.status, 422);
  const { error } = await response.json();
  assert.equal(error.code, 'schema_invalid');
  assert.deepEqual(error.details.map((d) => [d.path, d.code]),
    [['$.fields[0].type', 'type.unknown'], ['$.fields[1].key', 'field.duplicate_key']]);
});

test('a deeply nested body is 400, not a crash of the module', async () => {
  const deep = `{"name":"x","fields":${'['.repeat(200000)}${']'.repeat(200000)}}`;
  const response = await api('/schemas/', { method: 'POST', body: deep });
  assert.equal(response.status, 400);
  assert.equal((await response.json()).error.code, 'invalid_body');
  assert.equal((await fetch(`${host.url}/healthz`)).status, 200);
});

test('malformed JSON is 400, a duplicate name 409', async () => {
  assert.equal((await api('/schemas/', { method: 'POST', body: '{oops' })).status, 400);
  assert.equal((await api('/schemas/', { method: 'POST', body: schema('unique-name') })).status, 201);
  const again = await api('/schemas/', { method: 'POST', body: schema('unique-name') });
  assert.equal(again.status, 409);
  assert.equal((await again.json()).error.code, 'schema_name_taken');
});

test('one organisation never sees the schemas of another', async () => {
  const { id } = await (await api('/schemas/', { method: 'POST', body: schema('private') })).json();
  assert.equal((await api(`/schemas/${id}/`, { key: 'globex-key' })).status, 404);
  assert.equal((await api(`/schemas/${id}/`, { key: 'globex-key', method: 'DELETE' })).status, 404);
  const list = await (await api('/schemas/', { key: 'globex-key' })).json();
  assert.ok(!list.some((s) => s.id === id));
});

test('concurrent creates all land (compare-and-set with retries)', async () => {
  const responses = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    api('/schemas/', { key: 'globex-key', method: 'POST', body: schema(`parallel-${i}`) })));
  assert.deepEqual(responses.map((r) => r.status), Array(12).fill(201));
  const names = (await (await api('/schemas/', { key: 'globex-key' })).json()).map((s) => s.name);
  for (let i = 0; i < 12; i++) assert.ok(names.includes(`parallel-${i}`), `parallel-${i}`);
});
