// The Node host in front of the WASI edge module, started as `make start` runs
// it: /healthz, error shapes, and the static pages it serves.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';

import { startHost } from '../support/host.mjs';

function rawGetStatus(base, path) {
  return new Promise((resolve, reject) => {
    const request = http.get(base + '/', { path }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', reject);
  });
}

let host;
before(async () => { host = await startHost(); });
after(async () => { await host?.stop(); });

test('GET /healthz answers 200 from the edge module', async () => {
  for (const path of ['/healthz', '/healthz/']) {
    const response = await fetch(host.url + path);
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-type'), /^application\/json/);
    const body = await response.json();
    assert.equal(body.status, 'ok');
    assert.equal(body.versions.debian_sources.zlib, '1:1.2.13.dfsg-1');
  }
});

test('GET /openapi.json serves the OpenAPI 3.1 description', async () => {
  const response = await fetch(host.url + '/openapi.json');
  assert.equal(response.status, 200);
  const doc = await response.json();
  assert.equal(doc.openapi, '3.1.0');
  assert.ok(doc.paths['/api/v1/headless/imports/'].post);
});

test('HEAD /healthz has no body', async () => {
  const response = await fetch(host.url + '/healthz', { method: 'HEAD' });
  assert.equal(response.status, 200);
  assert.equal((await response.arrayBuffer()).byteLength, 0);
});

test('a wrong method is 405 with Allow and an error body', async () => {
  const response = await fetch(host.url + '/healthz', { method: 'POST', body: 'x' });
  assert.equal(response.status, 405);
  assert.equal(response.headers.get('allow'), 'GET, HEAD');
  assert.equal((await response.json()).error.code, 'method_not_allowed');
});

test('an unknown API path is 404 with an error body', async () => {
  const response = await fetch(host.url + '/api/v1/nothing-here/');
  assert.equal(response.status, 404);
  assert.equal((await response.json()).error.code, 'not_found');
});

test('serves the demo page and the package files, nothing outside them', async () => {
  const page = await fetch(host.url + '/');
  assert.equal(page.status, 200);
  assert.match(await page.text(), /never leaves this device/);
  const wasm = await fetch(host.url + '/pkg/dist/sluice-core.wasm');
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  // Sent as raw paths: fetch() would normalise the dot segments away.
  for (const path of ['/pkg/js/../../package.json', '/pkg/dist/%2e%2e/%2e%2e/package.json', '/..%2fpackage.json',
    '/pkg/js/%E0%A4%A', '/nope.html']) {
    assert.equal(await rawGetStatus(host.url, path), 404, path);
  }
});

test('a review link opens the review page, with its script and the worker entry', async () => {
  const page = await fetch(host.url + '/review/0b6c2d1e-0000-4000-8000-000000000000?token=x');
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  assert.match(await page.text(), /<script type="module" src="\/assets\/review.js"><\/script>/);
  for (const path of ['/assets/review.js', '/assets/review.css', '/pkg/js/worker.js', '/pkg/js/worker-thread.js']) {
    assert.equal((await fetch(host.url + path)).status, 200, path);
  }
  assert.equal(await rawGetStatus(host.url, '/review/a/b'), 404);
});

test('logs one line per request', async () => {
  await fetch(host.url + '/healthz?probe=1');
  await host.waitForOutput(/GET \/healthz\?probe=1 200 [\d.]+ms/);
});
