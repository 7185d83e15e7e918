// The Cloudflare Workers host: the same edge module (build/wasi/sluice-edge.wasm)
// behind a Worker, with
//   - a Durable Object per organisation (OrgStore) holding that organisation's
//     records and its job outbox in SQLite-backed storage. Every record the
//     handler writes is a compare-and-set (statuses, indexes, counters,
//     idempotency keys, rate-limit windows), and Workers KV is eventually
//     consistent: a read-modify-write there loses updates and a rate limit
//     counted there could be exceeded by every edge location at once. The
//     Durable Object makes each commit atomic and exact, and its outbox rows
//     commit with the writes that caused them.
//   - Workers KV for the API-key records (read on every request, written only
//     when keys are provisioned) and the list of organisations: a new or
//     revoked key takes effect within KV's propagation time (up to a minute),
//     the one place eventual consistency is accepted.
//   - R2 for uploads (streamed, never held in memory by this Worker) and
//     results; a job's call reads the one and writes the other as it goes
//     (R2JobBlobs, through a suspending instance of the module).
//   - a Queue for the jobs (processing imports, sending webhooks): the
//     organisation's Durable Object sends due jobs to it and re-sends one
//     whose lease ran out (an alarm wakes it), so a job outlives any crash.
// The host only moves bytes; every decision is the handler's.
import { DurableObject } from 'cloudflare:workers';

import wasmModule from '../../../build/wasi/sluice-edge.wasm';
import quickjsWasm from '../../../node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm';
import { createHookRunner } from '../../../wasm/js/hooks.js';
import { canSuspend, EdgeModule, EdgeModuleError } from '../shared/edge-module.mjs';
import { HandlerLoopError, runRequest } from '../shared/handler-loop.mjs';
import { isApiPath, MAX_BODY_BYTES, parseHookLimits, parseRateLimits } from '../shared/host-config.mjs';
import { runJob } from '../shared/job-steps.mjs';

const LEASE_MS = 15 * 60 * 1000;  // a dispatched job not finished by then is sent again
const SEND_TIMEOUT_MS = 10 * 1000;

const clock = (env) => Date.now() + Number(env.SLUICE_CLOCK_OFFSET_MS ?? 0);
const random = () => crypto.getRandomValues(new Uint8Array(32));

let edgePromise = null;  // one instance per isolate
function edgeModule() {
  edgePromise ??= EdgeModule.load(wasmModule, { log: (line) => console.error(`edge: ${line}`) });
  return edgePromise;
}

// The jobs' own instance, suspending (JSPI) where the runtime can: a job's
// call then reads the upload from R2 and writes the results there as it goes
// (R2JobBlobs), and stores its progress, instead of holding the file and
// the results whole. Its own, so a long import never holds up the requests'
// calls (an instance runs one call at a time).
let jobEdgePromise = null;
function jobEdgeModule() {
  jobEdgePromise ??= canSuspend()
    ? EdgeModule.load(wasmModule, { log: (line) => console.error(`edge: ${line}`), suspending: true })
    : edgeModule();
  return jobEdgePromise;
}

function config(env, origin) {
  return {
    base_url: env.SLUICE_BASE_URL || origin,
    secret: env.SLUICE_SECRET ?? '',
    rate_limits: parseRateLimits(env.SLUICE_RATE_LIMITS),
    allow_private_webhooks: env.SLUICE_ALLOW_PRIVATE_WEBHOOKS === '1',
  };
}

// "org/<org>/..." -> "<org>" (store_keys.h: every record of an organisation).
function orgOf(key) {
  if (!key.startsWith('org/')) return null;
  const end = key.indexOf('/', 4);
  return end > 4 ? key.slice(4, end) : null;
}

// The hook sandbox (QuickJS; its module imported, as Workers compile no
// code at run time), loaded when a schema first needs it.
let hookRunnerPromise = null;
function hookRunner(env) {
  hookRunnerPromise ??= createHookRunner({ wasmModule: quickjsWasm, limits: parseHookLimits(env.SLUICE_HOOK_LIMITS) });
  return hookRunnerPromise;
}

const orgStore = (env, org) => env.SLUICE_ORGS.get(env.SLUICE_ORGS.idFromName(org));

/** The handler loop's store: API keys from KV, everything else from the organisation's Durable Object. */
class WorkersStore {
  #env;
  constructor(env) { this.#env = env; }

  async getMany(keys) {
    const out = new Map();
    const byOrg = new Map();
    for (const key of keys) {
      if (key.startsWith('apikey:')) {
        const value = await this.#env.SLUICE_KEYS.get(key, 'arrayBuffer');
        out.set(key, value ? { value: new Uint8Array(value), version: 1 } : null);
        continue;
      }
      const org = orgOf(key);
      if (!org) {
        out.set(key, null);
        continue;
      }
      if (!byOrg.has(org)) byOrg.set(org, []);
      byOrg.get(org).push(key);
    }
    for (const [org, orgKeys] of byOrg) {
      for (const [key, value, version] of await orgStore(this.#env, org).getMany(orgKeys)) {
        out.set(key, value ? { value, version } : null);
      }
    }
    return out;
  }

  async commit(writes, effects) {
    const orgs = new Set([...writes.map(({ key }) => orgOf(key)), ...effects.map((effect) => effect.org ?? null)]);
    if (orgs.size !== 1 || orgs.has(null)) {
      throw new HandlerLoopError('commit_scope', `a commit must stay inside one organisation: ${[...orgs].join(', ')}`);
    }
    const [org] = orgs;
    return orgStore(this.#env, org).commit(writes.map(({ key, expect, value }) => [key, expect, value]), effects);
  }
}

/** Blobs in R2; moves stream from one object to the other. */
class R2Blobs {
  #bucket;
  constructor(bucket) { this.#bucket = bucket; }
  async write(name, bytes) { await this.#bucket.put(name, bytes); }
  async delete(name) { await this.#bucket.delete(name); }
  async move(from, to) {
    const object = await this.#bucket.get(from);
    if (!object) return;
    const { readable, writable } = new FixedLengthStream(object.size);
    await Promise.all([object.body.pipeTo(writable), this.#bucket.put(to, readable)]);
    await this.#bucket.delete(from);
  }
  async read(name) {
    const object = await this.#bucket.get(name);
    return object ? new Uint8Array(await object.arrayBuffer()) : new Uint8Array();
  }
}

// A task's turn for whatever else the isolate has to do (a poll waiting on
// a long job's call, locally where the queue shares the isolate).
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

const READ_AHEAD_BYTES = 8 << 20;  // asked of R2 at once for the module's reads (R2 calls are subrequests)
const PART_BYTES = 8 << 20;        // a result's multipart part (R2: equal parts of 5 MiB or more, the last smaller)

/**
 * R2 for a suspending module's call (a job's): a stored upload read in
 * ranges, READ_AHEAD_BYTES at a time, and blobs the handler streams written
 * as multipart uploads, a part as each PART_BYTES fill, invisible until
 * committed (an aborted upload leaves nothing). Memory: one read-ahead and one
 * part (at most) per streamed blob, whatever the file's size.
 */
class R2JobBlobs extends R2Blobs {
  #bucket;
  #sizes = new Map();
  #ahead = null;  // {name, offset, bytes}: the last range read
  ranges = 0;     // range reads made, and parts written (the job's log says how many)
  parts = 0;

  constructor(bucket) {
    super(bucket);
    this.#bucket = bucket;
  }

  async size(name) {
    if (!this.#sizes.has(name)) this.#sizes.set(name, (await this.#bucket.head(name))?.size ?? null);
    return this.#sizes.get(name);
  }

  async readRange(name, offset, target) {
    await turn();  // (the isolate's other requests get a turn at each piece the module reads)
    const size = await this.size(name);
    let done = 0;
    while (size !== null && done < target.length && offset + done < size) {
      const at = offset + done;
      const ahead = this.#ahead;
      if (!ahead || ahead.name !== name || at < ahead.offset || at >= ahead.offset + ahead.bytes.length) {
        this.#ahead = null;
        const object = await this.#bucket.get(name, { range: { offset: at, length: Math.min(READ_AHEAD_BYTES, size - at) } });
        if (!object) break;  // (gone since its size was taken)
        this.#ahead = { name, offset: at, bytes: new Uint8Array(await object.arrayBuffer()) };
        this.ranges += 1;
        if (this.#ahead.bytes.length === 0) break;
      }
      const { bytes, offset: from } = this.#ahead;
      const piece = bytes.subarray(at - from, Math.min(bytes.length, at - from + target.length - done));
      target.set(piece, done);
      done += piece.length;
    }
    return done;
  }

  openPending(name) {
    const bucket = this.#bucket;
    let upload = null;  // made when the first part is full
    const parts = [];
    let part = new Uint8Array(0);  // (grown as it fills: a small result takes little)
    let filled = 0;
    const send = async () => {
      upload ??= await bucket.createMultipartUpload(name);
      parts.push(await upload.uploadPart(parts.length + 1, part.subarray(0, filled)));
      filled = 0;
      this.parts += 1;
    };
    return {
      async write(bytes) {
        for (let at = 0; at < bytes.length;) {
          const n = Math.min(bytes.length - at, PART_BYTES - filled);
          if (filled + n > part.length) {
            const grown = new Uint8Array(Math.min(PART_BYTES, Math.max(part.length * 2, filled + n, 1 << 16)));
            grown.set(part.subarray(0, filled));
            part = grown;
          }
          part.set(bytes.subarray(at, at + n), filled);
          filled += n;
          at += n;
          if (filled === PART_BYTES) await send();
        }
      },
      async commit() {
        if (!upload) {
          await bucket.put(name, part.subarray(0, filled));
        } else {
          if (filled > 0) await send();
          await upload.complete(parts);
        }
        part = null;
      },
      async discard() {
        await upload?.abort();
        upload = null;
        part = null;
      },
    };
  }
}

function jsonError(status, code, message) {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status, headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

async function handleApi(request, env, url) {
  const headers = {};
  for (const [name, value] of request.headers) headers[name] = value;
  const blobs = new R2Blobs(env.SLUICE_BLOBS);
  const extra = {};
  let body;
  if (request.method === 'PUT' && url.pathname.startsWith('/uploads/')) {
    // Streamed to R2; the handler decides what becomes of it.
    const name = `tmp/${crypto.randomUUID()}`;
    const stored = await env.SLUICE_BLOBS.put(name, request.body ?? new Uint8Array());
    extra.body_blob = name;
    extra.body_size = stored.size;
    body = new Uint8Array();
  } else {
    if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) {
      return jsonError(413, 'payload_too_large', `the request body is over ${MAX_BODY_BYTES} bytes`);
    }
    body = new Uint8Array(await request.arrayBuffer());
    if (body.length > MAX_BODY_BYTES) return jsonError(413, 'payload_too_large', `the request body is over ${MAX_BODY_BYTES} bytes`);
  }
  const answer = await runRequest(await edgeModule(), new WorkersStore(env), blobs, {
    makeRequest: () => ({
      method: request.method,
      path: url.pathname,
      query: url.search.slice(1),
      headers,
      now_ms: clock(env),
      config: config(env, url.origin),
      ...extra,
    }),
    body,
    makeRandom: random,
  });
  const out = new Headers();
  for (const [name, value] of answer.headers) out.append(name, value);
  if (answer.responseBlob) {
    const object = await env.SLUICE_BLOBS.get(answer.responseBlob);
    if (!object) return jsonError(404, 'not_found', 'the result is no longer stored');
    out.set('content-length', String(object.size));
    return new Response(request.method === 'HEAD' ? null : object.body, { status: answer.status, headers: out });
  }
  return new Response(request.method === 'HEAD' || answer.status === 204 ? null : answer.body, { status: answer.status, headers: out });
}

// Webhooks from a Worker: fetch with no redirects followed and a timeout. The
// handler has refused http (unless allowed), localhost and private address
// literals; Cloudflare's network does not route Workers' fetches to private
// addresses, and a Worker cannot resolve names itself, so the Node host's
// per-address check has no equivalent here.
async function sendWebhook({ url, method = 'POST', headers = [], body = '', timeout_ms: timeoutMs = SEND_TIMEOUT_MS }) {
  const started = Date.now();
  try {
    const response = await fetch(url, {
      method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return { status_code: response.status, ms: Date.now() - started };
  } catch (error) {
    const timeout = error?.name === 'TimeoutError' || error?.name === 'AbortError';
    return { error: timeout ? 'timeout' : String(error?.message ?? error).slice(0, 300), ms: Date.now() - started };
  }
}

export default {
  async fetch(request, env) {
    const started = Date.now();
    const url = new URL(request.url);
    let response;
    try {
      if (isApiPath(url.pathname)) {
        response = await handleApi(request, env, url);
      } else if (/^\/review\/[^/]+\/?$/.test(url.pathname) && env.ASSETS) {
        // A review link (review_url) opens the review page (a static asset).
        response = await env.ASSETS.fetch(new URL('/review.html', url.origin));
      } else {
        response = jsonError(404, 'not_found', `no route for ${url.pathname}`);
      }
    } catch (error) {
      const code = error instanceof EdgeModuleError || error instanceof HandlerLoopError ? error.code : 'internal_error';
      console.error(`error: ${request.method} ${url.pathname}: ${code}: ${error?.stack ?? error}`);
      response = jsonError(500, 'internal_error', 'the server failed to answer; it has been logged');
    }
    console.log(`${request.method} ${url.pathname}${url.search} ${response.status} ${Date.now() - started}ms`);
    return response;
  },

  // A backstop for alarms (a cron trigger; the local launcher calls it at
  // start): every organisation's outbox sends what is due.
  async scheduled(controller, env) {
    let cursor;
    do {
      const page = await env.SLUICE_KEYS.list({ prefix: 'org-index:', cursor });
      for (const { name } of page.keys) await orgStore(env, name.slice('org-index:'.length)).wake();
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
  },

  // The jobs the organisations' Durable Objects dispatched.
  async queue(batch, env) {
    const store = new WorkersStore(env);
    const edge = await jobEdgeModule();
    const hostConfig = config(env, '');
    for (const message of batch.messages) {
      const { org, job: jobId } = message.body ?? {};
      const owner = orgStore(env, org);
      const job = await owner.claim(jobId);
      if (!job) {
        message.ack();
        continue;
      }
      // Suspending: the module reads the upload and writes the results itself
      // (R2JobBlobs), and its progress is stored as it goes; else the upload
      // is passed whole.
      const blobs = edge.suspending ? new R2JobBlobs(env.SLUICE_BLOBS) : new R2Blobs(env.SLUICE_BLOBS);
      const host = {
        call: (path, body, onProgress, query = '') => runRequest(edge, store, blobs, {
          makeRequest: () => ({ method: 'POST', path, query, headers: {}, now_ms: clock(env), config: hostConfig, internal: true }),
          body,
          makeRandom: random,
          onProgress,
        }),
        runHooks: async (request) => (await hookRunner(env)).runStage(request),
        ...(edge.suspending ? {
          storeProgress: (key, value) => orgStore(env, orgOf(key)).putProgress(key, JSON.stringify(value)),
          clearProgress: (key) => orgStore(env, orgOf(key)).deleteProgress(key),
        } : {
          readUpload: (jobOrg, id) => blobs.read(`uploads/${jobOrg}/${id}`),
        }),
        send: sendWebhook,
        allowPrivate: hostConfig.allow_private_webhooks,
        now: () => clock(env),
        log: (line) => console.log(edge.suspending && /^job process_import .* done in/.test(line)
          ? `${line}: ${blobs.ranges} range reads, ${blobs.parts} parts written` : line),
      };
      try {
        const outcome = await runJob(job.effect, job.attempts, host);
        if (outcome.done) {
          await owner.finish(jobId);
        } else {
          await owner.retry(jobId, outcome.retryAt);
        }
      } catch (error) {
        // Left leased: the Durable Object sends it again when the lease ends.
        console.error(`job ${org}/${jobId}: ${error?.stack ?? error}`);
      }
      message.ack();
    }
  },
};

/**
 * One organisation's records (key, value, version) and job outbox, in the
 * Durable Object's SQLite storage: reads, and compare-and-set commits that
 * apply every write and queue every job atomically, or nothing.
 */
export class OrgStore extends DurableObject {
  #sql;
  #checkedBoot = false;

  constructor(ctx, env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value BLOB NOT NULL, version INTEGER NOT NULL)');
    this.#sql.exec('CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, effect TEXT NOT NULL, ' +
      'attempts INTEGER NOT NULL DEFAULT 0, not_before INTEGER NOT NULL DEFAULT 0, leased_until INTEGER NOT NULL DEFAULT 0)');
    this.#sql.exec('CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)');
  }

  // A local runtime restarted (SLUICE_BOOT_ID changed): the queue it had is
  // gone, so no lease is still being worked on; send those jobs again now.
  async #afterBoot() {
    if (this.#checkedBoot) return;
    this.#checkedBoot = true;
    const boot = this.env.SLUICE_BOOT_ID;
    if (!boot) return;
    const seen = this.#sql.exec("SELECT value FROM meta WHERE name = 'boot'").toArray()[0]?.value;
    if (seen === boot) return;
    this.#sql.exec("INSERT INTO meta (name, value) VALUES ('boot', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value", boot);
    this.#sql.exec('UPDATE jobs SET leased_until = 0');
    await this.#dispatch();
  }

  async getMany(keys) {
    await this.#afterBoot();
    return keys.map((key) => {
      const row = this.#sql.exec('SELECT value, version FROM kv WHERE key = ?', key).toArray()[0];
      return row ? [key, new Uint8Array(row.value), row.version] : [key, null, 0];
    });
  }

  async commit(writes, effects) {
    await this.#afterBoot();
    let applied = false;
    this.ctx.storage.transactionSync(() => {
      for (const [key, expect] of writes) {
        const row = this.#sql.exec('SELECT version FROM kv WHERE key = ?', key).toArray()[0];
        if ((row?.version ?? 0) !== expect) return;  // a conflict: nothing is written
      }
      for (const [key, , value] of writes) {
        if (value === null) {
          this.#delete(key);
        } else {
          this.#put(key, value);
        }
      }
      for (const effect of effects) this.#sql.exec('INSERT INTO jobs (effect) VALUES (?)', JSON.stringify(effect));
      applied = true;
    });
    if (applied && effects.length > 0) await this.#dispatch();
    return applied;
  }

  /**
   * A running job's progress, stored where the handler said (outside the
   * compare-and-set commits: nothing a job commits reads it).
   */
  async putProgress(key, value) {
    this.#put(key, new TextEncoder().encode(value));
  }

  async deleteProgress(key) {
    this.#delete(key);
  }

  // A record written (its version one more) or removed.
  #put(key, value) {
    this.#sql.exec('INSERT INTO kv (key, value, version) VALUES (?, ?, 1) ON CONFLICT(key) DO UPDATE SET ' +
      'value = excluded.value, version = kv.version + 1', key, value);
  }

  #delete(key) {
    this.#sql.exec('DELETE FROM kv WHERE key = ?', key);
  }

  /** The job, if it is still in the outbox: {effect, attempts}. */
  async claim(id) {
    const row = this.#sql.exec('SELECT effect, attempts FROM jobs WHERE id = ?', id).toArray()[0];
    return row ? { effect: JSON.parse(row.effect), attempts: row.attempts } : null;
  }

  async finish(id) {
    this.#sql.exec('DELETE FROM jobs WHERE id = ?', id);
    await this.#schedule();
  }

  async retry(id, notBefore) {
    this.#sql.exec('UPDATE jobs SET attempts = attempts + 1, not_before = ?, leased_until = 0 WHERE id = ?', notBefore, id);
    await this.#schedule();
  }

  async alarm() {
    await this.#afterBoot();
    await this.#dispatch();
  }

  async wake() {
    await this.#afterBoot();
    await this.#dispatch();
  }

  // Sends every due job (new, retry due, or lease over) to the queue.
  async #dispatch() {
    if (this.env.SLUICE_JOBS === 'off') return;
    const now = clock(this.env);
    const due = this.#sql.exec('SELECT id, effect FROM jobs WHERE (leased_until = 0 AND not_before <= ?) OR ' +
      '(leased_until > 0 AND leased_until <= ?) ORDER BY id', now, now).toArray();
    for (const { id, effect } of due) {
      this.#sql.exec('UPDATE jobs SET leased_until = ? WHERE id = ?', now + LEASE_MS, id);
      await this.env.SLUICE_QUEUE.send({ org: JSON.parse(effect).org, job: id });
    }
    await this.#schedule();
  }

  // The alarm at the next moment a job falls due (a retry, or a lease's end).
  async #schedule() {
    if (this.env.SLUICE_JOBS === 'off') return;
    const next = this.#sql.exec('SELECT MIN(CASE WHEN leased_until > 0 THEN leased_until ELSE not_before END) AS at ' +
      'FROM jobs').toArray()[0]?.at;
    if (next === null || next === undefined) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    const offset = Number(this.env.SLUICE_CLOCK_OFFSET_MS ?? 0);
    await this.ctx.storage.setAlarm(Math.max(next - offset, Date.now() + 50));
  }
}
