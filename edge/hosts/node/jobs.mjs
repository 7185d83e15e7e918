// Runs the Node host's job outbox (SQLite): each due job through the shared
// job steps (edge/hosts/shared/job-steps.mjs). A job leaves the outbox only
// once its outcome is committed, so a host killed mid-job runs it again after
// a restart; one that asks to be retried waits in the outbox until then.
import { randomBytes } from 'node:crypto';

import { createHookRunner } from '../../../wasm/js/hooks.js';
import { runRequest } from '../shared/handler-loop.mjs';
import { runJob } from '../shared/job-steps.mjs';
import { sendWebhook } from './webhook-sender.mjs';

export class JobRunner {
  #store;
  #running = false;
  #again = false;
  #host;

  constructor({ edge, store, blobs, config, log, clock = () => Date.now(), send = sendWebhook, hookLimits }) {
    this.#store = store;
    let hookRunner = null;
    this.#host = {
      call: (path, body, onProgress, query = '') => runRequest(edge, store, blobs, {
        makeRequest: () => ({ method: 'POST', path, query, headers: {}, now_ms: clock(), config, internal: true }),
        body,
        makeRandom: () => randomBytes(32),
        onProgress,
      }),
      // Synchronous SQLite writes, so they land while the module runs.
      storeProgress: (key, value) => store.putProgress(key, JSON.stringify(value)),
      clearProgress: (key) => store.deleteProgress(key),
      // No readUpload: the blob store reads ranges (readRange), so the
      // module reads the upload itself, a megabyte at a time, during the run.
      // The hook sandbox, loaded when a schema first needs it.
      runHooks: async (request) => {
        hookRunner ??= createHookRunner({ limits: hookLimits });
        return (await hookRunner).runStage(request);
      },
      send,
      allowPrivate: config.allow_private_webhooks === true,
      now: clock,
      log,
    };
  }

  /** Runs every due job; concurrent calls fold into one pass. */
  async drain() {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    try {
      do {
        this.#again = false;
        for (let job = this.#store.nextJob(this.#host.now()); job; job = this.#store.nextJob(this.#host.now())) {
          const outcome = await runJob(job.effect, job.attempts, this.#host);
          if (outcome.done) {
            this.#store.finishJob(job.id);
          } else {
            this.#store.retryJob(job.id, outcome.retryAt);
          }
        }
      } while (this.#again);
    } finally {
      this.#running = false;
    }
  }
}
