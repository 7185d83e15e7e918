// The embedded default host: Node's http server in front of the edge module.
// It only moves bytes: each API request becomes envelopes for the pure handler
// (edge/hosts/shared/edge-module.mjs), with the clock, random bytes and stored
// values this host owns; the handler's writes land in SQLite
// (edge/hosts/node/sqlite-store.mjs) through the shared protocol loop. It also
// serves the static demo page and the npm package's browser files.
//
// Environment: PORT (default 8787; 0 picks a free port), HOST (127.0.0.1),
// SLUICE_DATA (default .sluice-data/), SLUICE_RATE_LIMITS ("creates=20,polls=12"
// per minute, the default; "off" for none), SLUICE_API_KEYS ("org:key,org2:key2";
// without it, the first start creates one organisation and key and prints
// them), SLUICE_BASE_URL (how clients reach this host), SLUICE_EDGE_WASM (the
// module's path), SLUICE_CLOCK_OFFSET_MS (added to the clock; for tests of
// expiry), SLUICE_JOBS=off (serve the API without processing imports or
// sending webhooks), SLUICE_ALLOW_PRIVATE_WEBHOOKS=1 (webhooks may use http
// and reach loopback and private addresses: development and tests only),
// SLUICE_HOOK_LIMITS ("rowCallMs=1000,callMs=30000,memoryMiB=256", the
// defaults: the hook sandbox's time per call and memory per stage).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import { EdgeModule, EdgeModuleError } from '../shared/edge-module.mjs';
import { HandlerLoopError, runRequest } from '../shared/handler-loop.mjs';
import { isApiPath, MAX_BODY_BYTES, parseApiKeys, parseHookLimits, parseRateLimits } from '../shared/host-config.mjs';
import { BlobStore } from './blob-store.mjs';
import { SqliteStore } from './sqlite-store.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// Static files: URL prefix -> folder. Only these folders are ever served.
const STATIC_ROUTES = [
  ['/pkg/js/', path.join(root, 'wasm/js')],
  ['/pkg/dist/', path.join(root, 'wasm/dist')],
  ['/pkg/web/', path.join(root, 'build/web')],
  ['/', path.join(root, 'web-demo')],
];
const REVIEW_PAGE = /^\/review\/[^/]+\/?$/;
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
};

function sendJsonError(res, status, code, message) {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

async function serveStatic(req, res, pathname) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return sendJsonError(res, 405, 'method_not_allowed', `${req.method} is not allowed on ${pathname}`);
  }
  // A review link (review_url) opens the review page; the page reads its import id from the path.
  if (REVIEW_PAGE.test(pathname)) pathname = '/review.html';
  for (const [prefix, folder] of STATIC_ROUTES) {
    if (!pathname.startsWith(prefix)) continue;
    let relative;
    try {
      relative = decodeURIComponent(pathname.slice(prefix.length)) || 'index.html';
    } catch {
      break; // malformed %-escape: no such file
    }
    if (relative.endsWith('/')) relative += 'index.html';
    const file = path.resolve(folder, relative);
    if (!file.startsWith(folder + path.sep)) break; // no way out of the folder
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) break;
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'content-length': info.size, 'cache-control': 'no-cache' });
    if (req.method === 'HEAD') return res.end();
    return res.end(await readFile(file));
  }
  return sendJsonError(res, 404, 'not_found', `no route for ${pathname}`);
}

// The signing secret of this host's URLs, created once and kept in the data folder.
function loadSecret(dataDir) {
  const file = path.join(dataDir, 'secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

// API keys: SLUICE_API_KEYS, or one new organisation and key on the first start.
function provisionKeys(store, apiKeys, log) {
  if (apiKeys) {
    for (const [org, key] of parseApiKeys(apiKeys)) store.putApiKey(org, key);
    return;
  }
  if (store.hasApiKeys()) return;
  const key = `sk_${randomBytes(24).toString('base64url')}`;
  store.putApiKey('default', key);
  log(`sluice: created organisation "default" with the API key ${key}`);
  log('sluice: it is shown only now (only its hash is stored); set SLUICE_API_KEYS to choose keys');
}

/** Starts the host; resolves to {server, url, close()} once it listens. */
export async function startServer({
  port = Number(process.env.PORT ?? 8787),
  host = process.env.HOST ?? '127.0.0.1',
  dataDir = process.env.SLUICE_DATA ?? path.join(process.cwd(), '.sluice-data'),
  wasmPath = process.env.SLUICE_EDGE_WASM ?? path.join(root, 'build/wasi/sluice-edge.wasm'),
  clockOffsetMs = Number(process.env.SLUICE_CLOCK_OFFSET_MS ?? 0),
  apiKeys = process.env.SLUICE_API_KEYS,
  baseUrl = process.env.SLUICE_BASE_URL,
  jobs = process.env.SLUICE_JOBS,
  rateLimits = process.env.SLUICE_RATE_LIMITS,
  allowPrivateWebhooks = process.env.SLUICE_ALLOW_PRIVATE_WEBHOOKS === '1',
  hookLimits = process.env.SLUICE_HOOK_LIMITS,
  log = (line) => console.log(line),
} = {}) {
  mkdirSync(dataDir, { recursive: true });
  const edge = await EdgeModule.load(readFileSync(wasmPath), { log: (line) => log(`edge: ${line}`) });
  const store = new SqliteStore(path.join(dataDir, 'kv.sqlite'));
  const blobs = new BlobStore(path.join(dataDir, 'blobs'));
  provisionKeys(store, apiKeys, log);
  const secret = loadSecret(dataDir);
  let config = {
    base_url: baseUrl ?? '', secret, rate_limits: parseRateLimits(rateLimits), allow_private_webhooks: allowPrivateWebhooks,
  };

  // Processing runs in a worker thread, off the request path (SLUICE_JOBS=off:
  // none; queued jobs wait for a host that runs them).
  let worker = null;
  if (jobs !== 'off') {
    worker = new Worker(new URL('./job-worker.mjs', import.meta.url), {
      workerData: { dataDir, wasmPath, config, clockOffsetMs, hookLimits: parseHookLimits(hookLimits) },
    });
    worker.on('message', (message) => { if (message.log) log(message.log); });
    worker.on('error', (error) => log(`jobs: worker failed: ${error?.stack ?? error}`));
    await new Promise((resolve) => worker.once('message', resolve));
  }

  const server = http.createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log(`${req.method} ${req.url} ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
    try {
      const url = new URL(req.url, 'http://host');
      if (!isApiPath(url.pathname)) return await serveStatic(req, res, url.pathname);

      const headers = {};
      for (const [name, value] of Object.entries(req.headers)) {
        headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      // An upload streams to a blob; the handler decides what becomes of it.
      const extra = {};
      let body;
      if (req.method === 'PUT' && url.pathname.startsWith('/uploads/')) {
        const name = `tmp/${randomBytes(16).toString('hex')}`;
        extra.body_size = await blobs.writeStream(name, req);
        extra.body_blob = name;
        body = new Uint8Array();
      } else {
        body = await readBody(req);
        if (body === null) {
          return sendJsonError(res, 413, 'payload_too_large', `the request body is over ${MAX_BODY_BYTES} bytes`);
        }
      }
      const answer = await runRequest(edge, store, blobs, {
        makeRequest: () => ({
          method: req.method,
          path: url.pathname,
          query: url.search.slice(1),
          headers,
          now_ms: Date.now() + clockOffsetMs,
          config,
          ...extra,
        }),
        body,
        makeRandom: () => randomBytes(32),
      });
      if (answer.effects.length > 0) worker?.postMessage({ wake: true });
      for (const [name, value] of answer.headers) res.setHeader(name, value);
      if (answer.responseBlob) {
        const size = blobs.size(answer.responseBlob);
        if (size === null) return sendJsonError(res, 404, 'not_found', 'the result is no longer stored');
        res.setHeader('content-length', size);
        res.writeHead(answer.status);
        if (req.method === 'HEAD') return res.end();
        return blobs.stream(answer.responseBlob).pipe(res);
      }
      res.setHeader('content-length', answer.body.length);
      res.writeHead(answer.status);
      res.end(req.method === 'HEAD' ? undefined : answer.body);
    } catch (error) {
      const code = error instanceof EdgeModuleError || error instanceof HandlerLoopError ? error.code : 'internal_error';
      log(`error: ${req.method} ${req.url}: ${code}: ${error?.stack ?? error}`);
      if (!res.headersSent) sendJsonError(res, 500, 'internal_error', 'the server failed to answer; it has been logged');
      else res.destroy();
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const url = `http://${address.address}:${address.port}`;
  if (!baseUrl) config = { ...config, base_url: url };
  worker?.postMessage({ config });
  return {
    server,
    url,
    close: () => new Promise((resolve) => {
      server.close(() => {
        Promise.resolve(worker?.terminate()).finally(() => {
          store.close();
          resolve();
        });
      });
      server.closeAllConnections();
    }),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { url, close } = await startServer().catch((error) => {
    console.error(`sluice: cannot start: ${error.message}`);
    process.exit(1);
  });
  console.log(`sluice: listening on ${url}  (data in ${process.env.SLUICE_DATA ?? '.sluice-data/'})`);
  console.log(`sluice: demo page  ${url}/`);
  console.log(`sluice: try        curl -s ${url}/healthz`);
  console.log(`sluice:            curl -s -H 'X-Dromo-License-Key: <key>' ${url}/api/v1/schemas/`);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => close().then(() => process.exit(0)));
  }
}
