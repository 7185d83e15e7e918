// Webhooks through a running host and a real receiver: a webhook created, an
// import's outcome delivered with Dromo's payload and a signature the secret
// verifies, a failed attempt retried after the host was killed and restarted
// (later on its clock), every attempt listed, and nothing sent twice after a
// 2xx. Written to run unchanged against any host startHost() starts.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { after, before, test } from 'node:test';

import { startHost } from '../support/host.mjs';

const ENV = { SLUICE_API_KEYS: 'acme:acme-key', SLUICE_RATE_LIMITS: 'off', SLUICE_ALLOW_PRIVATE_WEBHOOKS: '1' };

let receiver;
let receiverUrl;
const received = [];
const answers = [];  // statuses to answer with, front first; 200 when empty
before(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      received.push({ path: req.url, headers: req.headers, body });
      res.writeHead(answers.shift() ?? 200);
      res.end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${receiver.address().port}`;
});
after(() => new Promise((resolve) => { receiver.closeAllConnections(); receiver.close(resolve); }));

const api = (target, path, { method = 'GET', body } = {}) =>
  fetch(`${target.url}/api/v1${path}`, {
    method,
    headers: { 'x-dromo-license-key': 'acme-key', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

async function until(what, check, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const FIELDS = [{ key: 'name', label: 'Name', validators: [{ validate: 'required' }] }];

test('an outcome is delivered, signed; a failed attempt survives a restart and is retried; none is sent twice', async () => {
  let host = await startHost({ env: ENV });
  try {
    const created = await api(host, '/webhooks/', {
      method: 'POST', body: { url: `${receiverUrl}/hooks`, events: ['import_completed', 'headless_import_failed'] },
    });
    assert.equal(created.status, 201);
    const webhook = await created.json();
    assert.match(webhook.secret, /^whsec_[0-9a-f]{64}$/);
    assert.equal((await (await api(host, `/webhooks/${webhook.id}/`)).json()).secret, undefined);

    // 1. Delivered at the first attempt, signed.
    const first = await (await api(host, '/headless/imports/', {
      method: 'POST', body: { fields: FIELDS, initial_data: [{ Name: 'Ada' }], import_metadata: { user: { id: 'u1' } } },
    })).json();
    await until('the first delivery', () => received.length >= 1);
    const got = received[0];
    assert.equal(got.path, '/hooks');
    assert.equal(got.headers['content-type'], 'application/json');
    const payload = JSON.parse(got.body);
    assert.equal(payload.event, 'import_completed');
    assert.equal(payload.data.id, first.id);
    assert.deepEqual(payload.data.user, { id: 'u1' });
    assert.equal(payload.data.import_type, 'HEADLESS');
    assert.equal(payload.data.num_data_rows, 1);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(got.headers['sluice-signature']);
    assert.equal(v1, createHmac('sha256', webhook.secret).update(`${t}.${got.body}`).digest('hex'));
    assert.ok(Math.abs(Number(t) - Date.now() / 1000) < 60);
    assert.equal(got.headers['sluice-delivery'].length, 36);

    // 2. The receiver fails once: the attempt is recorded and a retry scheduled.
    answers.push(500);
    const second = await (await api(host, '/headless/imports/', {
      method: 'POST', body: { fields: FIELDS, initial_data: [] },
    })).json();
    const pending = await until('the failed attempt', async () => {
      const list = await (await api(host, `/webhooks/${webhook.id}/deliveries/`)).json();
      const delivery = list.results.find((d) => d.import_id === second.id);
      return delivery?.attempts.length === 1 ? delivery : null;
    });
    assert.equal(pending.status, 'pending');
    assert.equal(pending.event, 'headless_import_failed');
    assert.equal(pending.attempts[0].status_code, 500);
    assert.ok(Date.parse(pending.next_attempt_date) > Date.now() + 20000);

    // 3. Killed; restarted an hour later (by its clock): the retry goes out.
    await host.kill('SIGKILL');
    host = await startHost({ env: { ...ENV, SLUICE_CLOCK_OFFSET_MS: String(3600 * 1000) }, dataDir: host.dataDir });
    await until('the retried delivery', () => received.length >= 3);
    assert.equal(JSON.parse(received[2].body).data.id, second.id);
    const delivered = await until('the delivery settled', async () => {
      const list = await (await api(host, `/webhooks/${webhook.id}/deliveries/`)).json();
      const delivery = list.results.find((d) => d.import_id === second.id);
      return delivery?.status === 'delivered' ? delivery : null;
    });
    assert.deepEqual(delivered.attempts.map((a) => a.status_code), [500, 200]);

    // 4. Restarted again: nothing delivered is sent again.
    await host.kill('SIGTERM');
    host = await startHost({ env: { ...ENV, SLUICE_CLOCK_OFFSET_MS: String(48 * 3600 * 1000) }, dataDir: host.dataDir });
    await new Promise((resolve) => setTimeout(resolve, 2500));  // the job worker drains every second
    assert.equal(received.length, 3);
  } finally {
    await host.stop({ keepData: false });
  }
});

test('without SLUICE_ALLOW_PRIVATE_WEBHOOKS, http and loopback webhooks are refused', async () => {
  const host = await startHost({ env: { SLUICE_API_KEYS: 'acme:acme-key' } });
  try {
    const refused = await api(host, '/webhooks/', { method: 'POST', body: { url: `${receiverUrl}/x`, events: ['import_completed'] } });
    assert.equal(refused.status, 422);
    assert.equal((await refused.json()).error.code, 'webhook_url_refused');
    const local = await api(host, '/webhooks/', { method: 'POST', body: { url: 'https://localhost/x', events: ['import_completed'] } });
    assert.equal(local.status, 422);
  } finally {
    await host.stop();
  }
});
