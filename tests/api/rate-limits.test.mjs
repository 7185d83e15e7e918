// API.md's rate limits through the Node host, where they are exact (SQLite
// compare-and-set): 20 creates per minute per organisation, 12 polls per
// minute per import, 429 with Retry-After, X-RateLimit-* on limited answers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startHost } from '../support/host.mjs';

let host;
before(async () => { host = await startHost({ env: { SLUICE_API_KEYS: 'acme:acme-key,globex:globex-key' } }); });
after(async () => { await host?.stop(); });

const create = (key = 'acme-key') => fetch(`${host.url}/api/v1/headless/imports/`, {
  method: 'POST',
  headers: { 'x-dromo-license-key': key, 'content-type': 'application/json' },
  body: JSON.stringify({ fields: [{ key: 'a', label: 'A' }], original_filename: 'a.csv' }),
});

// The limits count in fixed one-minute windows of the host's clock: a burst
// that straddles a minute's end is counted in two windows (as it should be),
// so each burst starts well inside a minute.
async function awayFromMinuteEdge() {
  const left = 60000 - (Date.now() % 60000);
  if (left < 5000) await new Promise((resolve) => setTimeout(resolve, left + 200));
}

test('20 concurrent creates pass, the 21st is 429, counted exactly', async () => {
  await awayFromMinuteEdge();
  const responses = await Promise.all(Array.from({ length: 25 }, () => create()));
  const statuses = responses.map((r) => r.status).sort();
  // A wrong answer shows what the host logged (a 500's cause is only there).
  const logged = () => host.output().split('\n').filter((line) => /error|warn/i.test(line)).slice(-20).join('\n');
  assert.deepEqual(statuses, [...Array(20).fill(201), ...Array(5).fill(429)],
    `statuses ${statuses.join(',')}; the host's errors:\n${logged()}`);
  const limited = responses.find((r) => r.status === 429);
  assert.equal(limited.headers.get('x-ratelimit-limit'), '20');
  assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
  const retryAfter = Number(limited.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
  assert.equal((await limited.json()).error.code, 'rate_limited');
  assert.equal((await create('globex-key')).status, 201); // per organisation
});

test('12 polls per minute per import', async () => {
  await awayFromMinuteEdge();
  const { id } = await (await create('globex-key')).json();
  const poll = () => fetch(`${host.url}/api/v1/headless/imports/${id}/`, { headers: { 'x-dromo-license-key': 'globex-key' } });
  for (let i = 0; i < 12; i++) {
    const response = await poll();
    assert.equal(response.status, 200, `poll ${i}`);
    assert.equal(response.headers.get('x-ratelimit-remaining'), String(11 - i));
  }
  assert.equal((await poll()).status, 429);
});
