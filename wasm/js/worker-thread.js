// Inside the worker that `sluice/worker` starts (a Web Worker in browsers, a
// worker thread in Node): the package's calls, one message each, so a long
// import never freezes the page. Messages in: {type: "init", wasmUrl?,
// wasmBinary?} first, then {id, method, args} or {id, session, method, args}.
// Out: {id, result} | {id, error} | {id, progress}. Hooks run here too, in
// the sandbox of 'sluice/hooks' (session method runHooks, importWithHooks). Results travel as
// transferred buffers where they are large (the import's rows).
import { createSluice, SluiceError } from './index.js';

// By a name bundlers leave alone (browser bundles never load it).
const nodeWorkerThreads = 'node:worker_threads';
const inBrowser = typeof self === 'object' && typeof self.postMessage === 'function' && typeof window === 'undefined' &&
  typeof WorkerGlobalScope !== 'undefined';
const port = inBrowser
  ? { post: (message, transfer) => self.postMessage(message, transfer), listen: (fn) => { self.onmessage = (e) => fn(e.data); } }
  : await import(/* @vite-ignore */ /* webpackIgnore: true */ nodeWorkerThreads).then(({ parentPort }) => ({
    post: (message, transfer) => parentPort.postMessage(message, transfer),
    listen: (fn) => parentPort.on('message', fn),
  }));

let sluice = null;
const sessions = new Map();
let nextSession = 1;

// The hook sandbox, loaded on first use from `hooksUrl` (default: the
// package's hooks.js; a page served without a bundler gives a bundled copy).
const hookRunners = new Map();
function hookRunner({ hooksUrl, wasmUrl, limits } = {}) {
  const url = String(hooksUrl ?? new URL('./hooks.js', import.meta.url));
  const key = JSON.stringify([url, wasmUrl ? String(wasmUrl) : null, limits ?? null]);
  if (!hookRunners.has(key)) {
    hookRunners.set(key, import(/* @vite-ignore */ url).then(({ createHookRunner }) =>
      createHookRunner({ wasmUrl: wasmUrl ? String(wasmUrl) : undefined, limits })));
  }
  return hookRunners.get(key);
}

function fail(id, error) {
  const body = error instanceof SluiceError
    ? { code: error.code, message: error.message, offset: error.offset, details: error.details }
    : { code: 'worker_error', message: String(error?.message ?? error) };
  port.post({ id, error: body });
}

// An import's options as the caller's thread asked for them: progress and
// streamed rows posted back to it.
function importOptions({ progress: wantsProgress, streamRows, ...options } = {}, id) {
  return {
    ...options,
    onProgress: wantsProgress ? (progress) => port.post({ id, progress }) : undefined,
    // Streamed: each chunk (a copy out of the module) moved to the caller as it comes.
    onRows: streamRows ? (chunk) => port.post({ id, chunk }, [chunk.buffer]) : undefined,
  };
}

// The answer and what it moves: the rows' buffers, unless they were streamed.
function finishImport(result, { streamRows } = {}) {
  if (streamRows) return [{ outcome: result.outcome, reasons: result.reasons, metadata: result.metadata, rows: null }, []];
  const { bytes, offsets } = result.rows.parts();
  return [{ outcome: result.outcome, reasons: result.reasons, metadata: result.metadata, rows: { bytes, offsets } },
    [bytes.buffer, offsets.buffer]];
}

const methods = {
  parse: (input, options) => sluice.parse(input, options),
  inspect: (input, options) => sluice.inspect(input, options),
  checkSchema: (schema) => sluice.checkSchema(schema),
  versions: () => sluice.versions(),
  importFile(input, schema, options, id) {
    return finishImport(sluice.importFile(input, schema, importOptions(options, id)), options);
  },
  async importBlob(blob, schema, options, id) {
    return finishImport(await sluice.importBlob(blob, schema, importOptions(options, id)), options);
  },
  async importWithHooks(input, schema, { hooks, ...options } = {}) {
    return finishImport(await sluice.importWithHooks(input, schema, { ...options, hookRunner: await hookRunner(hooks) }));
  },
  openReview(input, schema, options) {
    const session = sluice.openReview(input, schema, options);
    const handle = nextSession++;
    sessions.set(handle, session);
    return { session: handle, rowCount: session.rowCount };
  },
};

port.listen(async (message) => {
  const { id, method, args = [] } = message;
  try {
    if (message.type === 'init') {
      sluice = await createSluice({ wasmUrl: message.wasmUrl, wasmBinary: message.wasmBinary });
      port.post({ id, result: true });
      return;
    }
    if (message.session !== undefined) {
      const session = sessions.get(message.session);
      if (!session) throw new SluiceError({ code: 'session_closed', message: 'the review session is closed' });
      if (method === 'close') {
        session.close();
        sessions.delete(message.session);
        port.post({ id, result: true });
        return;
      }
      if (method === 'runHooks') {
        await session.runHooks(await hookRunner(args[0]));
        port.post({ id, result: { pending: session.hooksPending }, rowCount: session.rowCount });
        return;
      }
      if (method === 'hooksPending') {
        port.post({ id, result: session.hooksPending, rowCount: session.rowCount });
        return;
      }
      const allowed = ['rows', 'messages', 'summary', 'setCell', 'addRow', 'removeRows', 'setHeaderRow', 'setMapping', 'setOptionMapping',
        'findReplace', 'undo', 'redo', 'changes', 'export'];
      if (!allowed.includes(method)) throw new SluiceError({ code: 'invalid_call', message: `no session method ${method}` });
      const result = method === 'rowCount' ? session.rowCount : session[method](...args);
      port.post({ id, result, rowCount: session.rowCount });
      return;
    }
    const call = methods[method];
    if (!call) throw new SluiceError({ code: 'invalid_call', message: `no method ${method}` });
    const answer = await call(...args, id);
    if (method === 'importFile' || method === 'importBlob' || method === 'importWithHooks') {
      port.post({ id, result: answer[0] }, answer[1]);
    } else {
      port.post({ id, result: answer });
    }
  } catch (error) {
    fail(id, error);
  }
});
