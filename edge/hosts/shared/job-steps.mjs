// One job of the outbox, for any host (platform-free: Node and Workers share
// it). A process_import job calls the handler's internal steps (start:
// RUNNING; run: the import with the uploaded bytes and its outcome); after
// MAX_IMPORT_ATTEMPTS failures (the module or the store failing, never the
// file) it aborts: the import becomes FAILED, never stuck. A deliver_webhook
// job asks the handler what to send (signed now), sends it with the host's
// `send`, and reports the attempt; the handler answers when to try again.
//
// runJob resolves to {done: true} (the job leaves the outbox) or {retryAt}
// (ms since the epoch, by the host's clock). `host` gives:
//   call(path, bodyBytes, onProgress?, query?) -> {status, body}   an internal handler request
//   runHooks(request) -> {results} | {error}   one hook stage in the host's
//     sandbox (wasm/js/hooks.js); asked for only when a schema has hooks
//   storeProgress(key, value), clearProgress(key)   (optional) progress of a running job
//     (storeProgress is given each new stage, else at most four reports a second)
//   readUpload(org, id)   -> Uint8Array, or {length, fill(target)} to have a large file
//                            read straight into the module's memory   the import's file ('' if none);
//                            absent: the host's blobs offer readRange, and the handler
//                            reads the stored upload itself, in pieces, during the run
//   send(send, {allowPrivate}) -> {status_code} | {error}, with ms
//   allowPrivate, now(), log(line)

import { isFilledInPlace } from './edge-module.mjs';

export const MAX_IMPORT_ATTEMPTS = 3;
const MAX_DELIVERY_JOB_FAILURES = 8;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const json = (answer) => JSON.parse(decoder.decode(answer.body));

async function processImport({ org, id }, attempts, host) {
  const base = `/internal/imports/${org}/${id}`;
  const started = performance.now();
  try {
    const upload = host.readUpload ? await host.readUpload(org, id) : new Uint8Array();
    await host.call(`${base}/start`, new Uint8Array());
    // While it runs, the handler reports how far it got: the host stores each
    // new stage, and within a stage at most four reports a second, where the
    // handler said (a poll reads it), and removes it after.
    let progressKey = null;
    let lastStored = 0;
    let lastStage = null;
    const onProgress = host.storeProgress ? ({ key, value }) => {
      progressKey = key;
      const now = Date.now();
      if (now - lastStored < 250 && value.stage === lastStage) return undefined;
      lastStored = now;
      lastStage = value.stage;
      return host.storeProgress(key, value);  // (a suspending module waits for it)
    } : undefined;
    try {
      // A schema with hooks: the handler answers {hooks: a stage's request}
      // until none is left; each stage runs in the host's sandbox, and the
      // outputs so far go before the upload (`?hooks=<their length>`).
      const outputs = {};
      let answer = await host.call(`${base}/run`, upload, onProgress);
      for (let round = 0; round < 6; round++) {
        const request = answer.status === 200 ? json(answer).hooks : undefined;
        if (!request) break;
        const output = await host.runHooks(request);
        if (output.error) outputs.error = output.error;
        else outputs[request.stage] = output;
        const head = encoder.encode(JSON.stringify(outputs));
        const body = {
          length: head.length + upload.length,
          fill(target) {
            target.set(head);
            if (isFilledInPlace(upload)) upload.fill(target.subarray(head.length));
            else target.set(upload, head.length);
          },
        };
        answer = await host.call(`${base}/run`, body, onProgress, `hooks=${head.length}`);
      }
    } finally {
      if (progressKey) await host.clearProgress(progressKey);
    }
    const read = host.readUpload ? `${upload.length} bytes` : 'the upload read by the module';
    host.log(`job process_import ${org}/${id} done in ${(performance.now() - started).toFixed(1)}ms (${read})`);
    return { done: true };
  } catch (error) {
    const message = String(error?.message ?? error);
    host.log(`job process_import ${org}/${id} attempt ${attempts + 1} failed: ${message}`);
    if (attempts + 1 < MAX_IMPORT_ATTEMPTS) return { retryAt: host.now() + 1000 * 2 ** attempts };
    try {
      await host.call(`${base}/abort`, encoder.encode(message));
    } catch (abortError) {
      host.log(`job process_import ${org}/${id} could not be aborted: ${abortError?.message ?? abortError}`);
    }
    return { done: true };
  }
}

async function deliverWebhook({ org, id }, attempts, host) {
  const base = `/internal/deliveries/${org}/${id}`;
  try {
    const prepared = json(await host.call(`${base}/prepare`, new Uint8Array()));
    if (!prepared.send) return { done: true };
    const report = await host.send(prepared.send, { allowPrivate: host.allowPrivate === true });
    const verdict = json(await host.call(`${base}/attempt`, encoder.encode(JSON.stringify(report))));
    const outcome = report.status_code ?? report.error;
    if (verdict.retry_at_ms) {
      host.log(`job deliver_webhook ${org}/${id} attempt: ${outcome}; again at ${new Date(verdict.retry_at_ms).toISOString()}`);
      return { retryAt: verdict.retry_at_ms };
    }
    host.log(`job deliver_webhook ${org}/${id} settled: ${outcome}`);
    return { done: true };
  } catch (error) {
    // The module or the store failed (not the receiver): again later, a few
    // times; the delivery record keeps what was attempted.
    host.log(`job deliver_webhook ${org}/${id} failed: ${error?.message ?? error}`);
    if (attempts + 1 >= MAX_DELIVERY_JOB_FAILURES) return { done: true };
    return { retryAt: host.now() + 1000 * 2 ** attempts };
  }
}

export async function runJob(effect, attempts, host) {
  if (effect?.type === 'process_import') return processImport(effect, attempts, host);
  if (effect?.type === 'deliver_webhook') return deliverWebhook(effect, attempts, host);
  host.log(`job: unknown effect ${JSON.stringify(effect)}; dropped`);
  return { done: true };
}
