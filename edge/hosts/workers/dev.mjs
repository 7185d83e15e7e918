// `make start-workers`: the Workers host (worker.mjs) on workerd through
// Miniflare, locally and offline, with persistence, started like the Node
// host: PORT (default 8787; 0 picks a free port), HOST (127.0.0.1),
// SLUICE_DATA (default .sluice-data/; this host keeps its state under
// workers/ there), SLUICE_API_KEYS ("org:key,..."; without it the first start
// creates one organisation and key and prints them), SLUICE_BASE_URL,
// SLUICE_RATE_LIMITS, SLUICE_ALLOW_PRIVATE_WEBHOOKS, SLUICE_CLOCK_OFFSET_MS,
// SLUICE_HOOK_LIMITS and SLUICE_JOBS=off as for the Node host. worker.mjs is
// bundled first (bundleWorker), as wrangler does. The bindings are those of
// wrangler.toml: SLUICE_ORGS (Durable Object), SLUICE_KEYS (KV), SLUICE_BLOBS
// (R2), SLUICE_QUEUE (Queue), static assets.
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

import { parseApiKeys } from '../shared/host-config.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

async function freePort(host) {
  const server = net.createServer();
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// The static files the Node host serves, laid out as one assets folder.
function assembleAssets(folder) {
  rmSync(folder, { recursive: true, force: true });
  cpSync(path.join(root, 'web-demo'), folder, { recursive: true });
  cpSync(path.join(root, 'wasm/js'), path.join(folder, 'pkg/js'), { recursive: true });
  for (const name of ['sluice-core.mjs', 'sluice-core.wasm']) {
    const file = path.join(root, 'wasm/dist', name);
    if (existsSync(file)) cpSync(file, path.join(folder, 'pkg/dist', name));
  }
  if (existsSync(path.join(root, 'build/web'))) cpSync(path.join(root, 'build/web'), path.join(folder, 'pkg/web'), { recursive: true });
}

// worker.mjs and what it imports (the hook sandbox's npm packages) as one
// module, as `wrangler deploy` bundles it (with esbuild, for workerd);
// WebAssembly stays in its own modules.
export async function bundleWorker(outfile = path.join(root, 'build/workers/worker.mjs')) {
  const wasmBeside = {
    name: 'wasm-modules',
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, (args) => ({
        path: path.relative(path.dirname(outfile), path.resolve(args.resolveDir, args.path)),
        external: true,
      }));
    },
  };
  await build({
    entryPoints: [path.join(here, 'worker.mjs')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:workers', 'node:*'],
    plugins: [wasmBeside],
    logLevel: 'error',
  });
  return outfile;
}

export async function startWorkersHost({
  port = Number(process.env.PORT ?? 8787),
  host = process.env.HOST ?? '127.0.0.1',
  dataDir = process.env.SLUICE_DATA ?? path.join(process.cwd(), '.sluice-data'),
  log = (line) => console.log(line),
} = {}) {
  const state = path.join(dataDir, 'workers');
  mkdirSync(state, { recursive: true });
  const secretFile = path.join(state, 'secret');
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const listenPort = port === 0 ? await freePort(host) : port;
  const url = `http://${host}:${listenPort}`;
  const assets = path.join(root, 'build/workers/assets');
  assembleAssets(assets);

  const mf = new Miniflare({
    host,
    port: listenPort,
    // The bundle and its WebAssembly modules, named by their paths under root.
    modulesRoot: root,
    modules: [
      { type: 'ESModule', path: await bundleWorker() },
      { type: 'CompiledWasm', path: path.join(root, 'build/wasi/sluice-edge.wasm') },
      { type: 'CompiledWasm', path: path.join(root, 'node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm') },
    ],
    compatibilityDate: '2025-09-01',
    kvNamespaces: { SLUICE_KEYS: 'sluice-keys' },
    r2Buckets: { SLUICE_BLOBS: 'sluice-blobs' },
    durableObjects: { SLUICE_ORGS: { className: 'OrgStore', useSQLite: true } },
    queueProducers: { SLUICE_QUEUE: 'sluice-jobs' },
    queueConsumers: { 'sluice-jobs': { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 3 } },
    assets: { directory: assets, binding: 'ASSETS', routerConfig: { has_user_worker: true } },
    bindings: {
      SLUICE_SECRET: readFileSync(secretFile, 'utf8').trim(),
      SLUICE_BASE_URL: process.env.SLUICE_BASE_URL ?? url,
      SLUICE_RATE_LIMITS: process.env.SLUICE_RATE_LIMITS ?? '',
      SLUICE_ALLOW_PRIVATE_WEBHOOKS: process.env.SLUICE_ALLOW_PRIVATE_WEBHOOKS ?? '',
      SLUICE_CLOCK_OFFSET_MS: process.env.SLUICE_CLOCK_OFFSET_MS ?? '0',
      SLUICE_JOBS: process.env.SLUICE_JOBS ?? '',
      SLUICE_HOOK_LIMITS: process.env.SLUICE_HOOK_LIMITS ?? '',
      // Each start is a new boot: jobs leased by a runtime that is gone are sent again.
      SLUICE_BOOT_ID: randomBytes(8).toString('hex'),
    },
    defaultPersistRoot: state,
    kvPersist: path.join(state, 'kv'),
    r2Persist: path.join(state, 'r2'),
    durableObjectsPersist: path.join(state, 'do'),
    cachePersist: false,
  });
  await mf.ready;

  // API keys, as the Node host provisions them: {org, hash} under apikey:<sha256>.
  const keys = await mf.getKVNamespace('SLUICE_KEYS');
  const provision = async (org, key) => {
    const hash = createHash('sha256').update(key).digest('hex');
    await keys.put(`apikey:${hash}`, JSON.stringify({ org, hash }));
    await keys.put(`org-index:${org}`, '1');
  };
  if (process.env.SLUICE_API_KEYS) {
    for (const [org, key] of parseApiKeys(process.env.SLUICE_API_KEYS)) await provision(org, key);
  } else if ((await keys.list({ prefix: 'apikey:', limit: 1 })).keys.length === 0) {
    const key = `sk_${randomBytes(24).toString('base64url')}`;
    await provision('default', key);
    log(`sluice: created organisation "default" with the API key ${key}`);
    log('sluice: it is shown only now (only its hash is stored); set SLUICE_API_KEYS to choose keys');
  }

  // The cron backstop, locally: at start and every 30 seconds.
  const worker = await mf.getWorker();
  const wake = () => worker.scheduled({ cron: '* * * * *' }).catch((error) => log(`sluice: wake: ${error?.message ?? error}`));
  await wake();
  const timer = setInterval(wake, 30000);
  return {
    url,
    close: async () => {
      clearInterval(timer);
      await mf.dispose();
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) &&
    process.argv[2] === '--assemble-assets') {
  assembleAssets(path.join(root, 'build/workers/assets'));
  console.log('sluice: static assets in build/workers/assets');
} else if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { url, close } = await startWorkersHost().catch((error) => {
    console.error(`sluice: cannot start the Workers host: ${error?.stack ?? error}`);
    process.exit(1);
  });
  console.log(`sluice: listening on ${url}  (Workers host on workerd; data in ${path.join(process.env.SLUICE_DATA ?? '.sluice-data', 'workers')})`);
  console.log(`sluice: demo page  ${url}/`);
  console.log(`sluice: try        curl -s ${url}/healthz`);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => close().then(() => process.exit(0)));
  }
}
