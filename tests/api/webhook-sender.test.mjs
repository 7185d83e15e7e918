// The Node host's webhook sender against local servers: the outbound rules
// (https only, no private or loopback addresses, by literal or by what a name
// resolves to), redirects not followed, the timeout, and what it reports.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';

import { isPrivateAddress, sendWebhook } from '../../edge/hosts/node/webhook-sender.mjs';

let server;
let port;
const seen = [];
before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      seen.push({ path: req.url, headers: req.headers, body });
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://127.0.0.1/elsewhere' });
        res.end();
      } else if (req.url === '/slow') {
        setTimeout(() => res.end('late'), 2000);
      } else {
        res.writeHead(204);
        res.end();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = server.address().port;
});
after(() => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }));

test('private, loopback and reserved addresses are recognised', () => {
  for (const address of ['127.0.0.1', '10.0.0.8', '172.16.5.4', '192.168.0.1', '169.254.169.254', '100.64.1.1', '0.0.0.0',
    '224.0.0.1', '::1', '::', 'fd12::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::10.0.0.1', 'not-an-ip']) {
    assert.equal(isPrivateAddress(address), true, address);
  }
  for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
    assert.equal(isPrivateAddress(address), false, address);
  }
});

test('without allowPrivate: http, loopback literals and names that resolve to loopback are refused unsent', async () => {
  const before = seen.length;
  const http = await sendWebhook({ url: `http://127.0.0.1:${port}/hook`, body: 'x' });
  assert.match(http.error, /^refused: http: URLs are not allowed/);
  const literal = await sendWebhook({ url: `https://127.0.0.1:${port}/hook`, body: 'x' });
  assert.match(literal.error, /^refused: 127\.0\.0\.1 is a private or loopback address/);
  const named = await sendWebhook({ url: `https://localhost:${port}/hook`, body: 'x' });
  assert.match(named.error, /^refused: localhost resolves to/);
  const v6 = await sendWebhook({ url: `https://[::1]:${port}/hook`, body: 'x' });
  assert.match(v6.error, /^refused: ::1 is a private/);
  assert.equal(seen.length, before);
});

test('with allowPrivate: sent with its headers and body; the status is reported', async () => {
  const report = await sendWebhook({
    url: `http://127.0.0.1:${port}/hook`,
    headers: [['content-type', 'application/json'], ['sluice-signature', 't=1,v1=ab']],
    body: '{"event":"import_completed"}',
  }, { allowPrivate: true });
  assert.equal(report.status_code, 204);
  assert.equal(typeof report.ms, 'number');
  const got = seen.at(-1);
  assert.equal(got.path, '/hook');
  assert.equal(got.headers['sluice-signature'], 't=1,v1=ab');
  assert.equal(got.body, '{"event":"import_completed"}');
});

test('redirects are not followed, and a slow receiver times out', async () => {
  const before = seen.length;
  const redirect = await sendWebhook({ url: `http://127.0.0.1:${port}/redirect` }, { allowPrivate: true });
  assert.equal(redirect.status_code, 302);
  assert.equal(seen.length, before + 1);  // /elsewhere never asked for
  const slow = await sendWebhook({ url: `http://127.0.0.1:${port}/slow`, timeout_ms: 200 }, { allowPrivate: true });
  assert.equal(slow.error, 'timeout');
  assert.ok(slow.ms < 1500, `${slow.ms} ms`);
  const refused = await sendWebhook({ url: 'http://127.0.0.1:1/nobody', timeout_ms: 2000 }, { allowPrivate: true });
  assert.match(refused.error, /ECONNREFUSED/);
});
