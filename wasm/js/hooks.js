// The hook sandbox: a schema's JavaScript hooks run in QuickJS compiled to
// WebAssembly (quickjs-emscripten, pinned), the same engine in Node, on
// Workers (where eval is not allowed) and in the browser, so a hook set gives
// the same rows everywhere. A hook sees only the language: no network, files,
// timers, modules or host globals; each runtime has a memory limit, and every
// call a time limit that interrupts runaway loops. Inputs and outputs are
// plain JSON.
//
// The core drives the rounds (core/include/sluice/hooks.h): it names a stage
// and gives its input; `HookRunner.runStage(request)` runs it and gives back
// {results} or {error: {hook, index?, message}}; `runHookRounds` loops until
// the core says the import is finished.
import { newQuickJSWASMModuleFromVariant, newVariant } from 'quickjs-emscripten-core';
import releaseSync from '@jitl/quickjs-wasmfile-release-sync';

/** Default limits: bytes per sandbox, ms per row hook call, ms per other call. */
export const HOOK_LIMITS = Object.freeze({ memoryBytes: 256 * 1024 * 1024, rowCallMs: 1000, callMs: 30000 });

const BATCH = 1000;  // records per call into the sandbox (row and bulk stages)

// Runs inside QuickJS. Gets the host's `tick(hook, index)` (which starts a
// call's clock) and gives back its entry points; nothing lands on globalThis
// but a silent console.
const DRIVER = String.raw`(function (tick) {
  'use strict';
  globalThis.console = { log() {}, info() {}, warn() {}, error() {}, debug() {} };
  const hooks = [];
  let done = [];
  let failure = null;
  let pending = 0;
  const describe = (e) => {
    try {
      if (e instanceof Error) return e.name + ': ' + e.message;
      return 'threw ' + (typeof e === 'string' ? e : JSON.stringify(e));
    } catch (_) { return 'threw a value that is not an Error'; }
  };
  const fail = (k, index, e) => {
    if (failure) return;
    failure = { hook: hooks[k] ? hooks[k].name : String(k), message: describe(e) };
    if (index !== undefined) failure.index = index;
  };
  const guard = (k, index, fn) => { try { fn(); } catch (e) { fail(k, index, e); } };
  // Calls hook k; a promise it returns settles through the job queue.
  const invoke = (k, index, call, then) => {
    tick(k, index === undefined ? -1 : index);
    let out;
    let thenable = false;
    try {
      out = call();
      thenable = out !== null && (typeof out === 'object' || typeof out === 'function') && typeof out.then === 'function';
    } catch (e) { fail(k, index, e); return; }
    if (!thenable) { guard(k, index, () => then(out)); return; }
    pending++;
    Promise.resolve(out).then(
      (v) => { pending--; if (failure) return; tick(k, index === undefined ? -1 : index); guard(k, index, () => then(v)); },
      (e) => { pending--; fail(k, index, e); });
  };
  const push = (entry) => { done.push(JSON.stringify(entry)); };
  // Hooks get the records themselves (no copy: copying cost a third of a
  // row's time). What a cell held before a call is kept aside, to tell a
  // hook's changes from what it handed back as it was, in place or not.
  let keyIndex = new Map();
  const learnKeys = (row) => { keyIndex = new Map(Object.keys(row).map((key, i) => [key, i])); };
  const capture = (row) => {
    const values = [];
    const infos = [];
    for (const key in row) {
      const cell = row[key];
      values.push(cell.value);
      infos.push(cell.info.length ? JSON.stringify(cell.info) : '[]');
    }
    return { values, infos };
  };
  // A record's changes, without what the hook handed back unchanged.
  const strip = (output, before) => {
    if (output === undefined || output === null) return null;
    if (typeof output !== 'object' || output.row === undefined || output.row === null ||
        typeof output.row !== 'object' || Array.isArray(output.row)) return output;
    const row = {};
    let any = false;
    for (const key of Object.keys(output.row)) {
      const cell = output.row[key];
      const i = keyIndex.get(key);
      if (cell === null || typeof cell !== 'object' || Array.isArray(cell) || i === undefined) { row[key] = cell; any = true; continue; }
      const kept = {};
      let keep = false;
      if (cell.value !== undefined && cell.value !== before.values[i]) { kept.value = cell.value; keep = true; }
      if (cell.info !== undefined &&
          (Array.isArray(cell.info) && cell.info.length === 0 ? '[]' : JSON.stringify(cell.info)) !== before.infos[i]) {
        kept.info = cell.info;
        keep = true;
      }
      if (cell.selectOptions !== undefined) { kept.selectOptions = cell.selectOptions; keep = true; }
      if (keep) { row[key] = kept; any = true; }
    }
    return any ? { row } : null;
  };
  // What hook k changed becomes what hook k + 1 sees.
  const settle = (rec, output) => {
    if (!output || !output.row) return;
    for (const key of Object.keys(output.row)) {
      const cell = output.row[key];
      const was = rec.row[key];
      if (!was || cell === null || typeof cell !== 'object') continue;
      if (cell.value !== undefined) was.value = cell.value === null ? '' : String(cell.value);
      if (cell.info !== undefined) was.info = JSON.parse(JSON.stringify(cell.info));
    }
  };
  const record = (r) => ({ index: r.index, mode: r.mode, row: r.row, before: null });
  const arg = (rec) => {
    rec.before = capture(rec.row);
    return { index: rec.index, row: rec.row };
  };

  const rowFrom = (rec, k) => {
    if (k >= hooks.length || failure) return;
    invoke(k, rec.index, () => hooks[k].fn(arg(rec), rec.mode), (out) => {
      const changes = strip(out, rec.before);
      if (changes !== null) push({ hook: hooks[k].name, index: rec.index, output: changes });
      if (changes !== null && typeof changes === 'object') settle(rec, changes);
      rowFrom(rec, k + 1);
    });
  };
  const bulkFrom = (recs, mode, k) => {
    if (k >= hooks.length || failure) return;
    invoke(k, undefined, () => hooks[k].fn(recs.map(arg), mode), (out) => {
      if (out === undefined || out === null) { bulkFrom(recs, mode, k + 1); return; }
      if (!Array.isArray(out)) { push({ hook: hooks[k].name, output: out }); return; }
      const byIndex = new Map(recs.map((r) => [r.index, r]));
      const kept = [];
      for (const item of out) {
        const rec = item && typeof item === 'object' ? byIndex.get(item.index) : undefined;
        if (!rec) { kept.push(item); continue; }
        const changes = strip(item, rec.before);
        if (changes === null) continue;
        kept.push(typeof changes === 'object' ? Object.assign({ index: rec.index }, changes) : changes);
        settle(rec, changes);
      }
      if (kept.length) push({ hook: hooks[k].name, output: kept });
      bulkFrom(recs, mode, k + 1);
    });
  };
  const flush = () => {
    const out = '{"results":[' + done.join(',') + '],"error":' + JSON.stringify(failure) + ',"pending":' + pending + '}';
    done = [];
    return out;
  };
  return {
    compile(name, source) {
      let fn;
      try { fn = (0, eval)('(' + source + '\n)'); } catch (e) { return describe(e); }
      if (typeof fn !== 'function') return 'is not a function (a hook is a function expression, such as (record, mode) => ...)';
      hooks.push({ name, fn });
      return '';
    },
    column(k, fieldKey, json) {
      const input = JSON.parse(json);
      const before = new Map(input.map((item) => [item.index, item.value]));
      invoke(k, undefined, () => hooks[k].fn(input.map((item) => ({ index: item.index, value: item.value }))), (out) => {
        if (Array.isArray(out)) {
          out = out.map((item) => {
            if (!item || typeof item !== 'object' || item.value === undefined || item.value !== before.get(item.index)) return item;
            const copy = Object.assign({}, item);
            delete copy.value;
            return copy;
          });
        }
        push({ hook: hooks[k].name, fieldKey, output: out === undefined ? null : out });
      });
      return flush();
    },
    rows(json) {
      const records = JSON.parse(json);
      if (records.length) learnKeys(records[0].row);
      for (const r of records) {
        if (failure) break;
        rowFrom(record(r), 0);
      }
      return flush();
    },
    bulk(json) {
      const recs = JSON.parse(json).map(record);
      if (recs.length) learnKeys(recs[0].row);
      if (recs.length) bulkFrom(recs, recs[0].mode, 0);
      return flush();
    },
    finish(dataJson, metadataJson) {
      invoke(0, undefined, () => hooks[0].fn(JSON.parse(dataJson), JSON.parse(metadataJson)), (out) => {
        const verdict = out && typeof out === 'object' && out.cancel === true
          ? { cancel: true, message: typeof out.message === 'string' ? out.message : undefined } : null;
        push({ hook: hooks[0].name, output: verdict });
      });
      return flush();
    },
    flush,
  };
})`;

class HookFailure extends Error {
  constructor(failure) {
    super(failure.message);
    this.failure = failure;
  }
}

// One stage's sandbox: its own QuickJS instance, whose WebAssembly memory is
// capped at the memory limit (QuickJS's own malloc limit does not hold in
// this build: it cannot measure its allocations), a runtime, a context, the
// driver.
const PAGE = 65536;
const CHECKS_PER_MS = 10;
const FIRST_PAGES = 256;  // what QuickJS needs to start (16 MiB)

class Sandbox {
  #runtime;
  #vm;
  #driver;
  #deadline = Infinity;
  #limitMs = 0;
  #checks = 0;
  #position = { hook: -1, index: -1 };
  #names = [];

  static async open(wasmModule, limits) {
    const pages = Math.max(FIRST_PAGES, Math.ceil(limits.memoryBytes / PAGE));
    const wasmMemory = new WebAssembly.Memory({ initial: FIRST_PAGES, maximum: pages });
    const quickjs = await newQuickJSWASMModuleFromVariant(newVariant(releaseSync, { wasmModule, wasmMemory }));
    return new Sandbox(quickjs, limits);
  }

  constructor(quickjs, limits) {
    this.limits = limits;
    this.#limitMs = limits.callMs;  // setting up
    this.#runtime = quickjs.newRuntime();
    this.#runtime.setMaxStackSize(192 * 1024);  // below the module's own stack: QuickJS throws first
    // The clock, and a count of QuickJS's interrupt checks (about ten per ms
    // of the tightest loop here): on Workers the clock stands still while
    // code runs, so there the count is the limit.
    this.#runtime.setInterruptHandler(() => ++this.#checks > this.#limitMs * CHECKS_PER_MS || Date.now() > this.#deadline);
    this.#vm = this.#runtime.newContext();
    const tick = this.#vm.newFunction('tick', (hook, index) => {
      this.#position = { hook: this.#vm.getNumber(hook), index: this.#vm.getNumber(index) };
      this.#deadline = Date.now() + this.#limitMs;
      this.#checks = 0;
    });
    const factory = this.#vm.unwrapResult(this.#vm.evalCode(DRIVER, 'sluice-hooks-driver.js'));
    this.#driver = this.#vm.unwrapResult(this.#vm.callFunction(factory, this.#vm.undefined, tick));
    factory.dispose();
    tick.dispose();
    this.#deadline = Infinity;
  }

  compile(hooks) {
    for (const hook of hooks) {
      this.#names.push(hook.name);
      const problem = this.#call('compile', [hook.name, hook.source], this.limits.callMs);
      if (problem) throw new HookFailure({ hook: hook.name, message: problem });
    }
  }

  // Calls a driver entry with string (or number) arguments; its answer is JSON
  // {results, error, pending}: pending promises settle through the job queue.
  run(name, args, limitMs) {
    let answer = JSON.parse(this.#call(name, args, limitMs));
    const results = answer.results;
    while (!answer.error && answer.pending > 0) {
      this.#limitMs = limitMs;
      this.#deadline = Date.now() + limitMs;
      this.#checks = 0;
      const jobs = this.#runtime.executePendingJobs(-1);
      if (jobs.error) this.#raise(jobs.error);
      jobs.dispose?.();
      const next = JSON.parse(this.#call('flush', [], limitMs));
      results.push(...next.results);
      if (!next.error && next.pending === answer.pending && next.results.length === 0) {
        throw new HookFailure(this.#failure('its promise never settled (hooks have no timers or network)'));
      }
      answer = next;
    }
    if (answer.error) throw new HookFailure(this.#plain(answer.error));
    return results;
  }

  dispose() {
    this.#driver?.dispose();
    this.#vm?.dispose();
    this.#runtime?.dispose();
  }

  #call(name, args, limitMs) {
    const vm = this.#vm;
    this.#limitMs = limitMs;
    this.#deadline = Date.now() + limitMs;
    this.#checks = 0;
    const fn = vm.getProp(this.#driver, name);
    const handles = args.map((a) => (typeof a === 'number' ? vm.newNumber(a) : vm.newString(a)));
    const result = vm.callFunction(fn, this.#driver, ...handles);
    fn.dispose();
    for (const h of handles) h.dispose();
    this.#deadline = Infinity;
    if (result.error) this.#raise(result.error);
    const text = vm.getString(result.value);
    result.value.dispose();
    return text;
  }

  // An error that escaped the driver: an interrupt (time), memory, stack.
  #raise(handle) {
    let error;
    try {
      error = this.#vm.dump(handle);
    } catch {
      error = { message: 'the sandbox failed' };
    }
    handle.dispose?.();
    throw new HookFailure(this.#plain(this.#failure(`${error?.name ?? 'Error'}: ${error?.message ?? error}`)));
  }

  // The engine's words for the limits, in ours (a hook's promise or its own
  // try/catch can see them too).
  #plain(failure) {
    if (/^InternalError: interrupted$/.test(failure.message)) return { ...failure, message: `timed out after ${this.#limitMs} ms` };
    if (/^InternalError: out of memory$/.test(failure.message)) {
      return { ...failure, message: `ran out of memory (the limit is ${Math.round(this.limits.memoryBytes / 1048576)} MiB)` };
    }
    return failure;
  }

  #failure(message) {
    const { hook, index } = this.#position;
    const failure = { hook: this.#names[hook] ?? 'a hook', message };
    if (index >= 0) failure.index = index;
    return failure;
  }
}

/**
 * Runs the stages the core asks for in a QuickJS sandbox, a fresh one per
 * stage. Create it with `createHookRunner`; one runner serves any number of
 * imports.
 */
export class HookRunner {
  #wasmModule;

  constructor(wasmModule, limits = {}) {
    this.#wasmModule = wasmModule;
    this.limits = { ...HOOK_LIMITS, ...limits };
  }

  /**
   * One stage (a request as the core writes it, object or JSON) -> a promise
   * of {results: [...]} or {error: {hook, index?, message}}.
   */
  async runStage(request) {
    const stage = typeof request === 'string' ? JSON.parse(request) : request;
    let sandbox;
    try {
      sandbox = await Sandbox.open(this.#wasmModule, this.limits);
      sandbox.compile(stage.hooks);
      const { rowCallMs, callMs } = this.limits;
      const results = [];
      if (stage.stage === 'column') {
        stage.hooks.forEach((hook, k) => {
          results.push(...sandbox.run('column', [k, hook.fieldKey, JSON.stringify(hook.input)], callMs));
        });
      } else if (stage.stage === 'row') {
        for (let i = 0; i < stage.records.length; i += BATCH) {
          results.push(...sandbox.run('rows', [JSON.stringify(stage.records.slice(i, i + BATCH))], rowCallMs));
        }
      } else if (stage.stage === 'bulk') {
        // Batches of one mode each.
        let start = 0;
        while (start < stage.records.length) {
          let end = start + 1;
          while (end < stage.records.length && end - start < BATCH && stage.records[end].mode === stage.records[start].mode) end++;
          results.push(...sandbox.run('bulk', [JSON.stringify(stage.records.slice(start, end))], callMs));
          start = end;
        }
      } else if (stage.stage === 'beforeFinish') {
        results.push(...sandbox.run('finish', [JSON.stringify(stage.data), JSON.stringify(stage.metadata)], callMs));
      } else {
        return { error: { hook: '', message: `unknown hook stage ${JSON.stringify(stage.stage)}` } };
      }
      return { results: results.map((r) => (typeof r === 'string' ? JSON.parse(r) : r)) };
    } catch (error) {
      if (error instanceof HookFailure) return { error: error.failure };
      // The engine itself failed (a broken module, memory while starting).
      return { error: { hook: stage.hooks?.[0]?.name ?? '', message: `the hook sandbox failed: ${error?.message ?? error}` } };
    } finally {
      try {
        sandbox?.dispose();
      } catch {
        // A sandbox that failed may not free cleanly; its instance is dropped either way.
      }
    }
  }
}

async function compileQuickJS({ wasmModule, wasmBinary, wasmUrl }) {
  if (wasmModule) return wasmModule;
  if (wasmBinary) return WebAssembly.compile(wasmBinary);
  if (wasmUrl) return WebAssembly.compileStreaming(fetch(wasmUrl));
  if (typeof process === 'object' && process.versions?.node) {
    // Named at run time, so bundlers for browsers and Workers leave it out.
    const fsModule = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ fsModule);
    return WebAssembly.compile(await readFile(new URL(import.meta.resolve('@jitl/quickjs-wasmfile-release-sync/wasm'))));
  }
  throw new TypeError('sluice: give createHookRunner wasmModule, wasmBinary or wasmUrl (QuickJS\'s emscripten-module.wasm)');
}

/**
 * Loads QuickJS and gives a HookRunner. Options: `wasmModule` (a compiled
 * WebAssembly.Module of @jitl/quickjs-wasmfile-release-sync's
 * emscripten-module.wasm: Workers import it), `wasmBinary` (its bytes),
 * `wasmUrl` (where to fetch it: browsers); in Node none is needed. `limits`:
 * {memoryBytes, rowCallMs, callMs} over HOOK_LIMITS.
 */
export async function createHookRunner({ wasmModule, wasmBinary, wasmUrl, limits } = {}) {
  return new HookRunner(await compileQuickJS({ wasmModule, wasmBinary, wasmUrl }), limits);
}

export { runHookRounds } from './hook-rounds.js';
