// The job worker thread: its own edge module, SQLite connection and blob
// store, so processing an import never blocks the server's requests. Woken by
// the server after commits that queued jobs, and every second regardless.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

import { EdgeModule } from '../shared/edge-module.mjs';
import { BlobStore } from './blob-store.mjs';
import { JobRunner } from './jobs.mjs';
import { SqliteStore } from './sqlite-store.mjs';

const { dataDir, wasmPath, config, clockOffsetMs, hookLimits } = workerData;
const log = (line) => parentPort.postMessage({ log: line });
const edge = await EdgeModule.load(readFileSync(wasmPath), { log: (line) => log(`edge: ${line}`) });
const store = new SqliteStore(path.join(dataDir, 'kv.sqlite'));
const blobs = new BlobStore(path.join(dataDir, 'blobs'));
let runner = new JobRunner({ edge, store, blobs, config, log, clock: () => Date.now() + clockOffsetMs, hookLimits });

parentPort.on('message', (message) => {
  if (message.config) runner = new JobRunner({ edge, store, blobs, config: message.config, log, clock: () => Date.now() + clockOffsetMs, hookLimits });
  runner.drain().catch((error) => log(`jobs: ${error?.stack ?? error}`));
});
setInterval(() => runner.drain().catch((error) => log(`jobs: ${error?.stack ?? error}`)), 1000);
parentPort.postMessage({ ready: true });
