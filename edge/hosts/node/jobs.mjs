// Runs the job outbox: each process_import job calls the handler's internal
// steps (start: RUNNING; run: the import with the uploaded bytes and its
// outcome). A job leaves the outbox only once its outcome is committed, so a
// host killed mid-job runs it again after a restart; a job that keeps failing
// is retried with backoff, then aborted (the import becomes FAILED, never stuck).
// A deliver_webhook job asks the handler what to send (signed), sends it
// (webhook-sender.mjs) and reports the attempt; the handler answers when to
// try again, and the job waits in the outbox until then.
import { randomBytes } from 'node:crypto';

import { runRequest } from '../shared/handler-loop.mjs';
import { sendWebhook } from './webhook-sender.mjs';

const MAX_ATTEMPTS = 3;

export class JobRunner {
  #edge;
  #store;
  #blobs;
  #config;
  #log;
  #clock;
  #running = false;
  #again = false;

  #send;

  constructor({ edge, store, blobs, config, log, clock = () => Date.now(), send = sendWebhook }) {
    this.#send = send;
    this.#edge = edge;
    this.#store = store;
    this.#blobs = blobs;
    this.#config = config;
    this.#log = log;
    this.#clock = clock;
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
        for (let job = this.#store.nextJob(this.#clock()); job; job = this.#store.nextJob(this.#clock())) {
          await this.#run(job);
        }
      } while (this.#again);
    } finally {
      this.#running = false;
    }
  }

  async #call(path, body) {
    return runRequest(this.#edge, this.#store, this.#blobs, {
      makeRequest: () => ({ method: 'POST', path, query: '', headers: {}, now_ms: this.#clock(), config: this.#config, internal: true }),
      body,
      makeRandom: () => randomBytes(32),
    });
  }

  async #run(job) {
    const { effect } = job;
    if (effect.type === 'deliver_webhook') return this.#deliver(job);
    if (effect.type !== 'process_import') {
      this.#store.finishJob(job.id);
      return;
    }
    const started = process.hrtime.bigint();
    const base = `/internal/imports/${effect.org}/${effect.id}`;
    try {
      const name = `uploads/${effect.org}/${effect.id}`;
      // A Buffer is a Uint8Array: passed as it is, not copied again.
      const upload = this.#blobs.size(name) === null ? new Uint8Array() : await this.#blobs.read(name);
      await this.#call(`${base}/start`, new Uint8Array());
      await this.#call(`${base}/run`, upload);
      this.#store.finishJob(job.id);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      this.#log(`job process_import ${effect.org}/${effect.id} done in ${ms.toFixed(1)}ms (${upload.length} bytes)`);
    } catch (error) {
      this.#log(`job process_import ${effect.org}/${effect.id} attempt ${job.attempts + 1} failed: ${error?.message ?? error}`);
      if (job.attempts + 1 >= MAX_ATTEMPTS) {
        try {
          await this.#call(`${base}/abort`, new TextEncoder().encode(String(error?.message ?? error)));
        } finally {
          this.#store.finishJob(job.id);
        }
      } else {
        this.#store.retryJob(job.id, this.#clock() + 1000 * 2 ** job.attempts);
      }
    }
  }

  async #deliver(job) {
    const { org, id } = job.effect;
    const base = `/internal/deliveries/${org}/${id}`;
    const answer = (out) => JSON.parse(new TextDecoder().decode(out.body));
    try {
      const prepared = answer(await this.#call(`${base}/prepare`, new Uint8Array()));
      if (!prepared.send) {
        this.#store.finishJob(job.id);
        return;
      }
      const report = await this.#send(prepared.send, { allowPrivate: this.#config.allow_private_webhooks === true });
      const verdict = answer(await this.#call(`${base}/attempt`, new TextEncoder().encode(JSON.stringify(report))));
      const outcome = report.status_code ?? report.error;
      if (verdict.retry_at_ms) {
        this.#store.retryJob(job.id, verdict.retry_at_ms);
        this.#log(`job deliver_webhook ${org}/${id} attempt: ${outcome}; again at ${new Date(verdict.retry_at_ms).toISOString()}`);
      } else {
        this.#store.finishJob(job.id);
        this.#log(`job deliver_webhook ${org}/${id} settled: ${outcome}`);
      }
    } catch (error) {
      // The module or the store failed (not the receiver): try again later,
      // a few times; the delivery record keeps what was attempted.
      this.#log(`job deliver_webhook ${org}/${id} failed: ${error?.message ?? error}`);
      if (job.attempts + 1 >= 8) {
        this.#store.finishJob(job.id);
      } else {
        this.#store.retryJob(job.id, this.#clock() + 1000 * 2 ** job.attempts);
      }
    }
  }
}
