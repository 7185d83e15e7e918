// The npm package `sluice`: loads the core (WebAssembly) and exposes it.
// Browsers fetch the .wasm next to this package (or from `wasmUrl`); Node reads
// it from disk. Every call crosses the boundary once, with one buffer each way.
import { runHookRounds } from './hook-rounds.js';
import createSluiceCore from '../dist/sluice-core.mjs';

/** An error from the core, with a stable machine-readable `code`. */
export class SluiceError extends Error {
  constructor({ code, message, offset, details }) {
    super(message);
    this.name = 'SluiceError';
    this.code = code;
    if (offset !== undefined) this.offset = offset;
    if (details !== undefined) this.details = details;
  }
}

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' &&
  typeof window === 'undefined';

// By a name bundlers leave alone (browser bundles never load it).
const nodeFs = 'node:fs/promises';

async function loadWasmBinary(wasmUrl) {
  const url = wasmUrl ? new URL(wasmUrl, import.meta.url) : new URL('../dist/sluice-core.wasm', import.meta.url);
  if (isNode && url.protocol === 'file:') {
    const { readFile } = await import(/* @vite-ignore */ /* webpackIgnore: true */ nodeFs);
    return readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`sluice: cannot load ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * The cleaned rows of an import, decoded one at a time from the single buffer
 * the core returned: no JavaScript string exists for a row until it is read.
 */
export class ImportRows {
  #bytes;
  #offsets;

  constructor(bytes, offsets) {
    this.#bytes = bytes;
    this.#offsets = offsets;
  }

  get length() {
    return this.#offsets.length - 1;
  }

  /** Row `index` as an object keyed by field key (undefined past the end). */
  at(index) {
    if (index < 0) index += this.length;
    if (index < 0 || index >= this.length) return undefined;
    const start = this.#offsets[index];
    const end = this.#offsets[index + 1] - 1; // without the newline
    return JSON.parse(textDecoder.decode(this.#bytes.subarray(start, end)));
  }

  *[Symbol.iterator]() {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  toArray() {
    return [...this];
  }

  /** The rows as NDJSON text, as the API serves them with ?format=ndjson. */
  toNdjson() {
    return textDecoder.decode(this.#bytes);
  }

  /** Its buffer and row offsets, to send to another thread (`ImportRows.fromParts` there). */
  parts() {
    return { bytes: this.#bytes, offsets: this.#offsets };
  }

  static fromParts({ bytes, offsets }) {
    return new ImportRows(bytes, offsets);
  }
}

const textDecoder = new TextDecoder();

function unpackImport(view) {
  const packed = view.slice(); // out of the module's memory before the next call
  const data = new DataView(packed.buffer);
  const headLength = data.getUint32(0, true);
  const head = JSON.parse(textDecoder.decode(packed.subarray(4, 4 + headLength)));
  if (head.error) throw new SluiceError(head.error);
  let at = 4 + headLength;
  const count = data.getUint32(at, true);
  at += 4;
  const offsets = new Uint32Array(count + 1);
  for (let i = 0; i <= count; i++) offsets[i] = data.getUint32(at + 4 * i, true);
  at += 4 * (count + 1);
  return {
    outcome: head.outcome.outcome,
    reasons: head.outcome.reasons,
    metadata: head.metadata,
    rows: new ImportRows(packed.subarray(at), offsets),
    hooks: head.hooks,
  };
}

function finished({ hooks, ...result }) {
  if (hooks) {
    throw new SluiceError({
      code: 'hooks_need_runner',
      message: 'the schema has JavaScript hooks: use importWithHooks with a hook runner (createHookRunner), or pass skipHooks: true',
    });
  }
  return result;
}

function unwrap(json) {
  const result = JSON.parse(json);
  if (result.error) throw new SluiceError(result.error);
  return result;
}

/** A review session (see `openReview`); every method answers at once. */
export class ReviewSession {
  #handle;

  constructor(handle) {
    this.#handle = handle;
  }

  #open() {
    if (!this.#handle) throw new SluiceError({ code: 'session_closed', message: 'the review session is closed' });
    return this.#handle;
  }

  /** The number of data rows. */
  get rowCount() {
    return this.#open().rowCount();
  }

  /** Rows [offset, offset + limit): [{rowIndex, values, texts, messages}]. */
  rows(offset = 0, limit = 100) {
    return JSON.parse(this.#open().rows(offset, limit));
  }

  /** {count, messages: [...]}, in row order; filter by level and field. */
  messages({ level, field, offset = 0, limit = 100 } = {}) {
    return unwrap(this.#open().messages(JSON.stringify({ level, field, offset, limit })));
  }

  /**
   * True while the schema's hooks have a stage left to run over the session
   * (after it opens, and again after every edit): call runHooks.
   */
  get hooksPending() {
    return this.#open().hookRequest() !== '';
  }

  /**
   * Runs the schema's hooks over the session as the server will (every stage,
   * edited rows in update mode) in `hookRunner` (createHookRunner from
   * 'sluice/hooks'); the session then shows what they changed. A hook that
   * fails makes the summary's outcome FAILED, with why in its reasons.
   */
  async runHooks(hookRunner) {
    const handle = this.#open();
    let request = handle.hookRequest();
    let outputs = JSON.parse(handle.hookOutputs() || '{}');
    for (let rounds = 0; request && rounds < 32; rounds++) {
      const stage = JSON.parse(request);
      const output = await hookRunner.runStage(stage);
      if (this.#handle !== handle) return;  // closed meanwhile
      const now = handle.hookRequest();
      if (now !== request) {  // edited meanwhile: what the stage saw is gone
        request = now;
        outputs = JSON.parse(handle.hookOutputs() || '{}');
        continue;
      }
      if (output.error) outputs.error = output.error;
      else outputs[stage.stage] = output;
      handle.setHookOutputs(JSON.stringify(outputs));
      request = handle.hookRequest();
    }
  }

  /** Rows, rows with errors, counts by field and code, the outcome now, mapping, header. */
  summary() {
    return JSON.parse(this.#open().summary());
  }

  /** Sets a cell's text: {changed: [{rowIndex, fieldKey, messages}]} (every cell whose messages changed). */
  setCell(row, field, value) {
    return unwrap(this.#open().setCell(row, field, value ?? ''));
  }

  addRow(values = {}) {
    return unwrap(this.#open().addRow(JSON.stringify(values)));
  }

  removeRows(rows) {
    return unwrap(this.#open().removeRows(JSON.stringify(rows)));
  }

  /** The table row the header is on (rows are counted from it again). */
  setHeaderRow(row) {
    return unwrap(this.#open().setHeaderRow(row));
  }

  /** {columnIndex: fieldKey | null}: the mapping, as a person chose it. */
  setMapping(mapping) {
    return unwrap(this.#open().setMapping(JSON.stringify(mapping)));
  }

  /** A select field's file value read as one of its options (`option` null: forget it). */
  setOptionMapping(field, fileValue, option) {
    return unwrap(this.#open().setOptionMapping(field, fileValue, option ?? ''));
  }

  /** {find, replace, field?, matchCase?, wholeCell?}: {changed, replaced}. */
  findReplace(spec) {
    return unwrap(this.#open().findReplace(JSON.stringify(spec)));
  }

  /** False when there was nothing to undo. */
  undo() {
    return this.#open().undo();
  }

  redo() {
    return this.#open().redo();
  }

  /** The review so far, as POST …/review/ takes it. */
  changes() {
    return JSON.parse(this.#open().changes());
  }

  /** The cleaned rows as the server will produce them: json, ndjson or csv text. */
  export({ format = 'json' } = {}) {
    if (!['json', 'ndjson', 'csv'].includes(format)) {
      throw new SluiceError({ code: 'invalid_option', message: 'format must be json, ndjson or csv' });
    }
    return this.#open().exportRows(format);
  }

  /** Frees the session's memory; any later call throws `session_closed`. */
  close() {
    this.#handle?.delete();
    this.#handle = null;
  }
}

/**
 * Loads the core. Options: `wasmUrl` (where the .wasm is; default beside the
 * package), `wasmBinary` (the .wasm bytes, skipping any fetch).
 */
export async function createSluice(options = {}) {
  const wasmBinary = options.wasmBinary ?? await loadWasmBinary(options.wasmUrl);
  const core = await createSluiceCore({ wasmBinary });
  const toBytes = (input) => {
    if (typeof input === 'string') return new TextEncoder().encode(input);
    if (input instanceof Uint8Array) return input;
    if (input instanceof ArrayBuffer) return new Uint8Array(input);
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    throw new TypeError('sluice: expected a Uint8Array, ArrayBuffer or string');
  };
  const optionsJson = (options) => JSON.stringify(options ?? {});
  // An import of `bytes` (null: the file staged in the module by `stage`).
  const schemaText = (schema) => (typeof schema === 'string' ? schema : JSON.stringify(schema));
  const progressOf = (onProgress) => (typeof onProgress === 'function'
    ? (stage, bytes, rows, done, total) => onProgress({ stage, bytes, rows, done, total })
    : undefined);
  // Streamed rows: each chunk copied out of the module's memory before it is
  // reused (onRows), or the module's own bytes, valid during the call (onRowsView).
  const rowsOf = ({ onRows, onRowsView }) => {
    if (onRows !== undefined && typeof onRows !== 'function') throw new TypeError('sluice: onRows must be a function');
    if (onRowsView !== undefined && typeof onRowsView !== 'function') throw new TypeError('sluice: onRowsView must be a function');
    if (onRows && onRowsView) throw new TypeError('sluice: give onRows or onRowsView, not both');
    return onRows ? (view) => onRows(view.slice()) : onRowsView;
  };
  const importBytes = (bytes, schema, { onProgress, onRows, onRowsView, ...options } = {}) => {
    const rows = rowsOf({ onRows, onRowsView });
    const result = finished(unpackImport(core.importFile(bytes, schemaText(schema), optionsJson(options), progressOf(onProgress), '', rows)));
    return rows ? { ...result, rows: null } : result;
  };
  // A file staged in the module a piece at a time (each piece's copy in
  // JavaScript is garbage once it is in), reporting {stage: 'load'}: a Blob
  // read in 1 MB slices, or any (async) iterable of byte chunks.
  const kBlobSlice = 1 << 20;
  const wrongSize = (at, size) => new SluiceError({ code: 'file_changed', message: `the file has ${at} bytes, not ${size}`, offset: at });
  const tooLarge = (bytes) => new SluiceError({ code: 'input_too_large', message: `the file (${bytes} bytes) does not fit in the module's memory`, offset: -1 });
  const stage = async (pieces, size, onProgress) => {
    let room = size ?? kBlobSlice;
    if (!core.stageInput(room)) throw tooLarge(room);
    const report = typeof onProgress === 'function' ? onProgress : () => {};
    let at = 0;
    report({ stage: 'load', bytes: size ?? 0, rows: 0, done: 0, total: size ?? 0 });
    for await (const piece of pieces) {
      const bytes = toBytes(piece);
      if (at + bytes.length > room) {
        if (size !== undefined) throw new SluiceError({ code: 'file_changed', message: `the file has more than the ${size} bytes it was said to have`, offset: at });
        room = Math.max(room * 2, at + bytes.length);
        if (!core.stageGrow(room)) throw tooLarge(room);
      }
      core.stageBytes(at, bytes);
      at += bytes.length;
      report({ stage: 'load', bytes: size ?? at, rows: 0, done: at, total: size ?? at });
    }
    if (size !== undefined && at !== size) throw wrongSize(at, size);
    core.stageEnd(at);
  };
  async function* slices(blob) {
    for (let at = 0; at < blob.size; at += kBlobSlice) {
      yield new Uint8Array(await blob.slice(at, Math.min(blob.size, at + kBlobSlice)).arrayBuffer());
    }
  }
  // Imports that feed the module a piece at a time, one after another (it
  // stages one file, or reads one source in passes, at a time).
  let pieceImports = Promise.resolve();
  const oneAtATime = (job) => {
    const run = pieceImports.then(job);
    pieceImports = run.catch(() => {});
    return run;
  };
  const staged = (load, schema, options) => oneAtATime(async () => {
    try {
      await load();
    } catch (error) {
      core.stageInput(0);  // what was staged is freed, not held until the next import
      throw error;
    }
    return importBytes(null, schema, options);
  });
  // An import read in passes (streamed rows only): `open()` gives the
  // source's pieces anew for each pass. Delimited UTF-8 text is then never
  // held whole, in JavaScript or in the module: memory is a window of it, a
  // chunk of rows and the unique keys. Other inputs are held during the
  // first pass, as importStream holds them.
  const inPasses = (open, size, schema, { onProgress, onRows, onRowsView, ...options }) => oneAtATime(async () => {
    const rows = rowsOf({ onRows, onRowsView });
    const began = core.passesBegin(schemaText(schema), optionsJson(options), progressOf(onProgress), rows, size ?? 0);
    if (began !== null) return finished(unpackImport(began));
    const report = typeof onProgress === 'function' ? onProgress : () => {};
    try {
      for (;;) {
        let at = 0;
        for await (const piece of open()) {
          const bytes = toBytes(piece);
          core.passesFeed(bytes);
          at += bytes.length;
          report({ stage: 'load', bytes: size ?? at, rows: 0, done: at, total: size ?? at });
        }
        if (size !== undefined && at !== size) throw wrongSize(at, size);
        const answer = core.passesEnd();
        if (answer !== null) return { ...finished(unpackImport(answer)), rows: null };
      }
    } catch (error) {
      core.passesDrop();
      throw error;
    }
  });
  const streamsRows = (options) => Boolean(options.onRows || options.onRowsView);
  return {
    /**
     * Every row of a file (CSV/TSV, XLSX or JSON, any encoding) as arrays of
     * strings. Options: delimiter, sheet, limits (see index.d.ts).
     */
    parse(input, options = {}) {
      return unwrap(core.parseRows(toBytes(input), optionsJson(options))).rows;
    },
    /** What the file is: format, encoding, dialect, sheets, header row, first rows. */
    inspect(input, { previewRows = 20, ...options } = {}) {
      return unwrap(core.inspect(toBytes(input), optionsJson(options), previewRows));
    },
    /**
     * Imports a file with a schema (a Dromo schema object or its JSON): the
     * same outcome, reasons, rows and metadata as `sluice import` and the API.
     * Options: the read options, plus `mapping` {headerText: fieldKey},
     * `review` (ReviewChanges: what the server runs after a review),
     * `onProgress({stage, bytes, rows, done, total})`, called as it goes, and
     * `onRows(chunk)`: the rows are then not kept but handed over as they are
     * checked, a Uint8Array of bytes at a time in `rowFormat` ('ndjson' by
     * default, 'json' or 'csv'; a FAILED import hands over nothing), and the
     * result's `rows` is null: a file of any size in the memory of one chunk.
     * `onRowsView(view)` instead: the same chunks as views of the module's
     * memory, valid only until the call returns (no copy, no garbage: for a
     * consumer that writes them out at once, as fs.writeSync does).
     */
    importFile(input, schema, options = {}) {
      return importBytes(toBytes(input), schema, options);
    },
    /**
     * importFile for a Blob or a File (a browser's file input; Node's
     * fs.openAsBlob): read in slices straight into the module's memory, so
     * JavaScript never holds the whole file, which the module holds once. The
     * same options; `onProgress` also hears {stage: 'load', done, total} as
     * the slices come. Resolves to what importFile returns; calls are taken
     * one at a time. With onRows or onRowsView the Blob is read in passes
     * (twice, rarely three times): delimited UTF-8 text is then never held
     * whole, not even by the module.
     */
    importBlob(blob, schema, options = {}) {
      if (typeof Blob === 'undefined' || !(blob instanceof Blob)) {
        return Promise.reject(new TypeError('sluice: importBlob expects a Blob or File'));
      }
      if (streamsRows(options)) return inPasses(() => slices(blob), blob.size, schema, options);
      return staged(() => stage(slices(blob), blob.size, options.onProgress), schema, options);
    },
    /**
     * importFile for bytes that come in pieces: an iterable or async iterable
     * of Uint8Array (Node's fs.createReadStream, a Blob's stream(), a fetch
     * Response's body), each piece copied into the module as it comes.
     * `size`: the total, when known (room made once; else it grows). The same
     * options and answer as importBlob. `pieces` may be a function giving
     * such an iterable (e.g. () => fs.createReadStream(path)): with onRows or
     * onRowsView the source is then read in passes, once per call, as
     * importBlob reads a Blob.
     */
    importStream(pieces, schema, { size, ...options } = {}) {
      const iterable = (it) => it != null && (typeof it[Symbol.asyncIterator] === 'function' || typeof it[Symbol.iterator] === 'function');
      if (typeof pieces !== 'function' && !iterable(pieces)) {
        return Promise.reject(new TypeError('sluice: importStream expects an iterable or async iterable of Uint8Array, or a function giving one'));
      }
      if (size !== undefined && !(Number.isInteger(size) && size >= 0)) {
        return Promise.reject(new TypeError('sluice: importStream\'s size must be a whole number of bytes'));
      }
      if (typeof pieces === 'function') {
        const open = () => {
          const it = pieces();
          if (!iterable(it)) throw new TypeError('sluice: importStream\'s function must give an iterable or async iterable of Uint8Array');
          return it;
        };
        if (streamsRows(options)) return inPasses(open, size, schema, options);
        return staged(() => stage(open(), size, options.onProgress), schema, options);
      }
      return staged(() => stage(pieces, size, options.onProgress), schema, options);
    },
    /**
     * importFile for a schema with JavaScript hooks: each stage the core asks
     * for (column, row, bulk hooks, beforeFinishCallback) runs in `hookRunner`
     * (createHookRunner from 'sluice/hooks': a QuickJS sandbox), and the
     * import runs again with what they changed. Resolves to what importFile
     * gives; a hook that throws, times out or runs out of memory makes it
     * FAILED (`hook_failed`, naming the hook and the row).
     */
    async importWithHooks(input, schema, { hookRunner, onProgress, ...options } = {}) {
      if (!hookRunner || typeof hookRunner.runStage !== 'function') {
        throw new TypeError('sluice: importWithHooks needs { hookRunner } (createHookRunner from "sluice/hooks")');
      }
      const bytes = toBytes(input);
      const schemaJson = typeof schema === 'string' ? schema : JSON.stringify(schema);
      const progress = typeof onProgress === 'function'
        ? (stage, done, rows, cells, total) => onProgress({ stage, bytes: done, rows, done: cells, total })
        : undefined;
      const last = await runHookRounds(
        async (outputs) => {
          const result = unpackImport(core.importFile(bytes, schemaJson, optionsJson(options), progress, outputs, undefined));
          return { ...result, request: result.hooks };
        },
        hookRunner);
      const { request, hooks, ...result } = last;
      return result;
    },
    /**
     * Opens a review session on a file (the review page's editor): rows,
     * messages, a summary, and edits checked at once, with undo and redo.
     * `changes`: a review started earlier (ReviewChanges, as the review
     * endpoint takes it). Close it to free its memory.
     */
    openReview(input, schema, { changes } = {}) {
      const schemaJson = typeof schema === 'string' ? schema : JSON.stringify(schema);
      const handle = new core.ReviewSession(toBytes(input), schemaJson, changes ? JSON.stringify(changes) : '');
      const failure = handle.error();
      if (failure) {
        handle.delete();
        throw new SluiceError(JSON.parse(failure).error);
      }
      return new ReviewSession(handle);
    },
    /** {valid, problems: [{path, code, message}]} for a schema. */
    checkSchema(schema) {
      return JSON.parse(core.checkSchema(typeof schema === 'string' ? schema : JSON.stringify(schema)));
    },
    /** Versions of Sluice and of the libraries compiled into it. */
    versions() {
      return JSON.parse(core.versions());
    },
    /** Bytes of the module's heap in use (diagnostics: sessions give back what they took). */
    heapInUse() {
      return core.heapInUse();
    },
  };
}
