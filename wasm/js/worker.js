// `sluice/worker`: the package's calls run in a worker (a Web Worker in
// browsers, a worker thread in Node), so the page never freezes: every call
// answers a Promise; importFile reports progress ({stage, bytes, rows, done,
// total}) and can be cancelled (an AbortSignal, or `cancel()`), which ends the
// worker (a running WebAssembly call cannot be interrupted otherwise) and
// starts a fresh one for the next call; open review sessions end with it.
import { ImportRows, SluiceError } from './index.js';

// Node's modules by a name bundlers leave alone (browser bundles never load them).
const importNode = (specifier) => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';

async function startWorker() {
  if (isNode) {
    const { Worker } = await importNode('node:worker_threads');
    const worker = new Worker(new URL('./worker-thread.js', import.meta.url));
    return {
      post: (message, transfer) => worker.postMessage(message, transfer),
      onMessage: (fn) => worker.on('message', fn),
      onError: (fn) => worker.on('error', fn),
      terminate: () => worker.terminate(),
    };
  }
  // Written as bundlers recognise it (Vite, webpack): the worker is bundled with its imports.
  const worker = new Worker(new URL('./worker-thread.js', import.meta.url), { type: 'module' });
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    onMessage: (fn) => worker.addEventListener('message', (event) => fn(event.data)),
    onError: (fn) => worker.addEventListener('error', (event) => fn(event.error ?? new Error(event.message))),
    terminate: () => worker.terminate(),
  };
}

function toBytesCopy(input) {
  if (typeof input === 'string') return new TextEncoder().encode(input);
  if (input instanceof Uint8Array) return input.slice();
  if (input instanceof ArrayBuffer) return new Uint8Array(input.slice(0));
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer.slice(input.byteOffset, input.byteOffset + input.byteLength));
  throw new TypeError('sluice: expected a Uint8Array, ArrayBuffer or string');
}

const cancelled = () => new SluiceError({ code: 'cancelled', message: 'the call was cancelled' });

/**
 * Starts the worker and loads the core in it. Options: `wasmUrl` (where the
 * .wasm is; default beside the package), `wasmBinary` (its bytes).
 */
export async function createSluiceWorker(options = {}) {
  let worker = null;
  let generation = 0;
  const pending = new Map();  // id -> {resolve, reject, onProgress, onRows}
  let nextId = 1;

  const start = async () => {
    const current = await startWorker();
    const mine = ++generation;
    current.onMessage((message) => {
      const call = pending.get(message.id);
      if (!call) return;
      if (message.progress) {
        call.onProgress?.(message.progress);
        return;
      }
      if (message.chunk) {
        call.onRows?.(message.chunk);
        return;
      }
      pending.delete(message.id);
      if (message.error) call.reject(new SluiceError(message.error));
      else call.resolve(message);
    });
    current.onError((error) => {
      if (mine !== generation) return;
      for (const [id, call] of pending) {
        pending.delete(id);
        call.reject(new SluiceError({ code: 'worker_error', message: String(error?.message ?? error) }));
      }
    });
    worker = current;
    await send({ type: 'init', wasmUrl: options.wasmUrl ? String(options.wasmUrl) : undefined, wasmBinary: options.wasmBinary });
  };

  function send(message, transfer = [], onProgress, onRows) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, onProgress, onRows });
      worker.post({ ...message, id }, transfer);
    });
  }

  await start();
  let ready = Promise.resolve();

  /** Ends the work in progress: every pending call rejects with `cancelled`. */
  function cancel() {
    const old = worker;
    generation++;
    for (const [id, call] of pending) {
      pending.delete(id);
      call.reject(cancelled());
    }
    // Calls made from now on wait for the fresh worker.
    ready = Promise.resolve(old.terminate()).then(start);
    return ready;
  }

  const callMethod = async (method, args, transfer, onProgress, onRows) => {
    await ready;
    return (await send({ method, args }, transfer, onProgress, onRows)).result;
  };

  class RemoteReviewSession {
    #handle;
    #generation;
    rowCount;

    constructor(handle, rowCount) {
      this.#handle = handle;
      this.#generation = generation;
      this.rowCount = rowCount;
    }

    async #call(method, ...args) {
      if (this.#handle === null || this.#generation !== generation) {
        throw new SluiceError({ code: 'session_closed', message: 'the review session is closed' });
      }
      await ready;
      const answer = await send({ session: this.#handle, method, args });
      if (typeof answer.rowCount === 'number') this.rowCount = answer.rowCount;
      return answer.result;
    }

    rows(offset, limit) { return this.#call('rows', offset, limit); }
    messages(filter) { return this.#call('messages', filter); }
    summary() { return this.#call('summary'); }
    setCell(row, field, value) { return this.#call('setCell', row, field, value); }
    addRow(values) { return this.#call('addRow', values); }
    removeRows(rows) { return this.#call('removeRows', rows); }
    setHeaderRow(row) { return this.#call('setHeaderRow', row); }
    setMapping(mapping) { return this.#call('setMapping', mapping); }
    setOptionMapping(field, fileValue, option) { return this.#call('setOptionMapping', field, fileValue, option); }
    findReplace(spec) { return this.#call('findReplace', spec); }
    undo() { return this.#call('undo'); }
    redo() { return this.#call('redo'); }
    changes() { return this.#call('changes'); }
    export(exportOptions) { return this.#call('export', exportOptions); }
    /** Whether the schema's hooks have a stage left to run (after opening and after each edit). */
    hooksPending() { return this.#call('hooksPending'); }
    /**
     * Runs the schema's hooks over the session in the worker's sandbox:
     * options {hooksUrl (a module exporting createHookRunner; default the
     * package's hooks.js), wasmUrl (QuickJS's .wasm, for browsers), limits}.
     * Resolves to {pending}.
     */
    runHooks(hookOptions = {}) { return this.#call('runHooks', hookOptions); }
    async close() {
      if (this.#handle === null || this.#generation !== generation) return;
      await this.#call('close');
      this.#handle = null;
    }
  }

  // An import in the worker: `input()` gives what goes to it and what is
  // moved there; progress and streamed rows come back; `signal` cancels it.
  const remoteImport = async (method, input, schema, { onProgress, onRows, signal, ...importOptions } = {}) => {
    if (signal?.aborted) throw cancelled();
    if (importOptions.onRowsView !== undefined) throw new TypeError('sluice/worker: onRowsView needs the module in this thread; use onRows');
    if (onRows !== undefined && typeof onRows !== 'function') throw new TypeError('sluice: onRows must be a function');
    const [given, transfer] = input();
    const abort = () => { cancel(); };
    signal?.addEventListener('abort', abort, { once: true });
    try {
      const result = await callMethod(method,
        [given, schema, { ...importOptions, progress: Boolean(onProgress), streamRows: Boolean(onRows) }],
        transfer, onProgress, onRows);
      return { ...result, rows: onRows ? null : ImportRows.fromParts(result.rows) };
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  };

  return {
    parse: (input, readOptions) => callMethod('parse', [toBytesCopy(input), readOptions]),
    inspect: (input, inspectOptions) => callMethod('inspect', [toBytesCopy(input), inspectOptions]),
    checkSchema: (schema) => callMethod('checkSchema', [schema]),
    versions: () => callMethod('versions', []),
    /**
     * As `sluice.importFile`, plus `onProgress` and `signal` (an AbortSignal);
     * `onRows(chunk)` gets the rows' bytes as the worker checks them (each
     * chunk's buffer moved, not copied, from the worker), and `rows` is null.
     */
    importFile: (input, schema, importOptions) => remoteImport('importFile', () => {
      const bytes = toBytesCopy(input);
      return [bytes, [bytes.buffer]];
    }, schema, importOptions),
    /**
     * As `sluice.importBlob`, in the worker: the Blob or File goes to it as
     * it is (no copy of its bytes here), and the worker reads it in slices.
     */
    importBlob: (blob, schema, importOptions) => remoteImport('importBlob', () => {
      if (typeof Blob === 'undefined' || !(blob instanceof Blob)) throw new TypeError('sluice: importBlob expects a Blob or File');
      return [blob, []];
    }, schema, importOptions),
    /** As `sluice.importWithHooks`, the hooks run in the worker: options.hooks = {hooksUrl, wasmUrl, limits}. */
    async importWithHooks(input, schema, importOptions = {}) {
      const bytes = toBytesCopy(input);
      const result = await callMethod('importWithHooks', [bytes, schema, importOptions], [bytes.buffer]);
      return { ...result, rows: ImportRows.fromParts(result.rows) };
    },
    /** As `sluice.openReview`; every session method answers a Promise. */
    async openReview(input, schema, reviewOptions) {
      const bytes = toBytesCopy(input);
      const opened = await callMethod('openReview', [bytes, schema, reviewOptions], [bytes.buffer]);
      return new RemoteReviewSession(opened.session, opened.rowCount);
    },
    cancel,
    /** Ends the worker for good. */
    async terminate() {
      generation++;
      for (const [id, call] of pending) {
        pending.delete(id);
        call.reject(cancelled());
      }
      await worker.terminate();
    },
  };
}

export { SluiceError };
