// Runs the edge handler (build/wasi/sluice-edge.wasm) for any JavaScript host:
// the envelope codec, the handful of WASI imports the module needs, and one
// call = one frame in, one frame out. Platform-free: no node: imports, so the
// Workers host uses it as it is. The module is pure; this file gives it no
// clock, no randomness and no files (those WASI calls answer ENOSYS).

const MAGIC = [0x53, 0x4c, 0x45, 0x31]; // "SLE1"
const ENOSYS = 52;
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** A host-side failure of the module (trap, exit, fault); never a client's. */
export class EdgeModuleError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'EdgeModuleError';
    this.code = code;
  }
}

// A part's data: a Uint8Array, a string, or bytes the host writes in place
// ({length, fill(target)}: a large upload read from its file straight into
// the module's memory, never held whole by JavaScript).
function encodeParts(parts) {
  return parts.map(([name, data]) => [textEncoder.encode(name), typeof data === 'string' ? textEncoder.encode(data) : data]);
}

function frameSize(encoded) {
  let size = 8;
  for (const [name, data] of encoded) size += 8 + name.length + data.length;
  return size;
}

/** True for {length, fill(target)}: bytes written in place (see encodeParts). */
export const isFilledInPlace = (data) => typeof data?.fill === 'function' && !ArrayBuffer.isView(data);

// Writes encoded parts as a frame into `out` (exactly frameSize bytes long).
function writeFrame(out, encoded) {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out.set(MAGIC, 0);
  view.setUint32(4, encoded.length, true);
  let at = 8;
  for (const [name, data] of encoded) {
    view.setUint32(at, name.length, true);
    out.set(name, at + 4);
    at += 4 + name.length;
    view.setUint32(at, data.length, true);
    if (isFilledInPlace(data)) {
      data.fill(out.subarray(at + 4, at + 4 + data.length));
    } else {
      out.set(data, at + 4);
    }
    at += 4 + data.length;
  }
}

/** Encodes [[name, Uint8Array|string], ...] as a frame (see edge/include/sluice_edge/envelope.h). */
export function encodeFrame(parts) {
  const encoded = encodeParts(parts);
  const out = new Uint8Array(frameSize(encoded));
  writeFrame(out, encoded);
  return out;
}

/** Decodes a frame into a Map of name -> Uint8Array (first part of each name wins). */
export function decodeFrame(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new EdgeModuleError('envelope_malformed', 'the frame does not start with SLE1');
  }
  const count = view.getUint32(4, true);
  const parts = new Map();
  let at = 8;
  const take = () => {
    if (bytes.length - at < 4) throw new EdgeModuleError('envelope_malformed', 'truncated frame');
    const length = view.getUint32(at, true);
    if (bytes.length - at - 4 < length) throw new EdgeModuleError('envelope_malformed', 'truncated frame');
    const data = bytes.subarray(at + 4, at + 4 + length);
    at += 4 + length;
    return data;
  };
  for (let i = 0; i < count; i++) {
    const name = textDecoder.decode(take());
    const data = take();
    if (!parts.has(name)) parts.set(name, data);
  }
  if (at !== bytes.length) throw new EdgeModuleError('envelope_malformed', 'bytes after the last part');
  return parts;
}

class WasiExit extends Error {
  constructor(code) {
    super(`the module exited with status ${code}`);
    this.code = code;
  }
}

// The imports of the module: what it declares, answered minimally. With
// `suspending` (JSPI), the module's own imports may wait for the host's
// promises: the call is suspended meanwhile (a Worker reading R2).
function makeImports(module, getMemory, log, onProgress, onBlobChunk, getBlobReader, suspending) {
  const wasi = {
    proc_exit(code) {
      throw new WasiExit(code);
    },
    fd_write(fd, iovs, iovsLength, writtenOut) {
      const memory = new DataView(getMemory().buffer);
      const bytes = new Uint8Array(getMemory().buffer);
      let written = 0;
      let text = '';
      for (let i = 0; i < iovsLength; i++) {
        const pointer = memory.getUint32(iovs + i * 8, true);
        const length = memory.getUint32(iovs + i * 8 + 4, true);
        text += textDecoder.decode(bytes.subarray(pointer, pointer + length));
        written += length;
      }
      if (fd === 1 || fd === 2) log(text.replace(/\n$/, ''));
      memory.setUint32(writtenOut, written, true);
      return 0;
    },
  };
  const env = {
    emscripten_notify_memory_growth() {},
  };
  const text = (pointer, length) => textDecoder.decode(new Uint8Array(getMemory().buffer, pointer, length));
  // Progress reports of a long job (HandlerInput::progress): JSON bytes. A
  // blob's next bytes (HandlerInput::blob_chunk), copied out of the module's
  // memory before it returns. A stored blob read during the call
  // (HandlerInput::blob_reader, asked for only when the request said
  // read_blobs): its size (-1: none), and its bytes from `offset` read
  // straight into the module's memory. Each answers what the host's callback
  // returns; suspending, once its promise settles (the memory cannot grow
  // meanwhile: the instance runs nothing else, see EdgeModule.call).
  const own = {
    progress: (pointer, length) => onProgress(JSON.parse(text(pointer, length))),
    blob_chunk: (namePointer, nameLength, pointer, length) =>
      onBlobChunk(text(namePointer, nameLength), new Uint8Array(getMemory().buffer, pointer, length).slice()),
    blob_size: (namePointer, nameLength) => {
      const reader = getBlobReader();
      const size = reader ? reader.size(text(namePointer, nameLength)) : null;
      return size instanceof Promise ? size.then((bytes) => bytes ?? -1) : size ?? -1;
    },
    read_blob: (namePointer, nameLength, offset, pointer, length) => {
      const reader = getBlobReader();
      return reader ? reader.read(text(namePointer, nameLength), offset, new Uint8Array(getMemory().buffer, pointer, length)) : 0;
    },
  };
  const sluice = {};
  for (const [name, answer] of Object.entries(own)) {
    // (Suspending imports give back a value, not a promise: one that returned none would give undefined.)
    sluice[name] = suspending ? new WebAssembly.Suspending(async (...args) => (await answer(...args)) ?? 0) : answer;
  }
  const imports = {};
  for (const { module: namespace, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== 'function') {
      throw new EdgeModuleError('module_imports', `unsupported import ${namespace}.${name} (${kind})`);
    }
    const known = namespace === 'wasi_snapshot_preview1' ? wasi[name] : namespace === 'env' ? env[name]
      : namespace === 'sluice' ? sluice[name] : undefined;
    imports[namespace] ??= {};
    imports[namespace][name] = known ?? (() => ENOSYS);
  }
  return imports;
}

/** Whether this runtime can suspend a WebAssembly call for a promise (JSPI: workerd, not Node 20). */
export const canSuspend = () => typeof WebAssembly.Suspending === 'function' && typeof WebAssembly.promising === 'function';

/**
 * The edge module, instantiated. `call()` runs one request; after a trap the
 * instance is replaced by a fresh one, so one bad call never poisons the next.
 * `suspending` (where canSuspend(): JSPI) lets the host's blob reader, blob
 * chunks and progress answer with promises, the call suspended until they
 * settle: a Worker reads a job's upload from R2 and writes its results there
 * during the call, never holding either whole.
 */
export class EdgeModule {
  static async load(wasmBytes, { log = console.error, suspending = false } = {}) {
    if (suspending && !canSuspend()) {
      throw new EdgeModuleError('module_suspending', 'this runtime cannot suspend a WebAssembly call (no JSPI)');
    }
    const module = wasmBytes instanceof WebAssembly.Module ? wasmBytes : await WebAssembly.compile(wasmBytes);
    const edge = new EdgeModule(module, log, suspending);
    await edge.#instantiate();
    return edge;
  }

  #module;
  #log;
  #suspending;
  #exports = null;
  #handle = null;  // sluice_handle (suspending: wrapped to give a promise)
  #calls = Promise.resolve();  // the calls in order: one at a time
  #onProgress = null;  // the progress callback of the call in progress
  #onBlobChunk = null;  // and its streamed blobs' bytes
  #blobReader = null;  // and the host's stored blobs, read during it

  constructor(module, log, suspending) {
    this.#module = module;
    this.#log = log;
    this.#suspending = suspending;
  }

  /** Whether its imports may answer with promises (see load). */
  get suspending() { return this.#suspending; }

  async #instantiate() {
    let memory = null;
    const imports = makeImports(this.#module, () => memory, this.#log, (report) => this.#onProgress?.(report),
      (name, bytes) => this.#onBlobChunk?.(name, bytes), () => this.#blobReader, this.#suspending);
    const instance = await WebAssembly.instantiate(this.#module, imports);
    memory = instance.exports.memory;
    instance.exports._initialize?.();
    this.#exports = instance.exports;
    this.#handle = this.#suspending ? WebAssembly.promising(instance.exports.sluice_handle) : instance.exports.sluice_handle;
  }

  /**
   * One round of the handler. `request` is {method, path, query, headers,
   * now_ms, config}; `body` and `random` are Uint8Arrays (`body` may also be
   * {length, fill(target)}, written straight into the module); `known` maps each
   * fetched key to {value: Uint8Array, version} or null (absent). Returns
   * {needKv: [keys]} when the handler needs more stored values, else
   * {status, headers: [[name, value]...], body, kvWrites: [{key, expect,
   * value: Uint8Array | null}], effects: [...]}.
   * `onBlobChunk(name, bytes)`, if given, takes the bytes of blobs the
   * handler writes as it makes them (the request says stream_blobs); the
   * answer's `blobStreams` names those to commit, as blobWrites.
   * `blobReader` {size(name) -> bytes | null, read(name, offset, target) ->
   * bytes read (fewer only at its end)}, if given, lets the handler read
   * stored blobs during the call (the request says read_blobs): a job's
   * upload, read in pieces instead of passed as the body.
   * Calls run one at a time, in order: a suspended call's stack lives in the
   * instance's memory, where another call would write over it.
   */
  call(...args) {
    const run = this.#calls.then(() => this.#call(...args));
    this.#calls = run.catch(() => {});
    return run;
  }

  async #call(request, body, random, known = new Map(), { onProgress, onBlobChunk, blobReader } = {}) {
    if (!this.#exports) await this.#instantiate();
    const versions = {};
    const absent = [];
    const parts = [];
    for (const [key, entry] of known) {
      if (entry) {
        versions[key] = entry.version;
        parts.push([`kv:${key}`, entry.value]);
      } else {
        absent.push(key);
      }
    }
    const meta = {
      ...request, kv_versions: versions, kv_absent: absent, ...(onBlobChunk ? { stream_blobs: true } : {}),
      ...(blobReader ? { read_blobs: true } : {}),
    };
    // Encoded straight into the module's memory: a large body is copied once.
    const input = encodeParts([['request', JSON.stringify(meta)], ['body', body], ['random', random], ...parts]);
    let output;
    this.#onProgress = onProgress;
    this.#onBlobChunk = onBlobChunk;
    this.#blobReader = blobReader ?? null;
    try {
      output = await this.#invoke(input);
    } catch (error) {
      this.#exports = null; // a trapped instance may hold broken state: start afresh next call
      throw error instanceof EdgeModuleError ? error : new EdgeModuleError('module_trap', String(error?.message ?? error));
    } finally {
      this.#onProgress = null;
      this.#onBlobChunk = null;
      this.#blobReader = null;
    }
    const out = decodeFrame(output);
    if (out.has('fault')) {
      const fault = JSON.parse(textDecoder.decode(out.get('fault')));
      throw new EdgeModuleError(fault.code, fault.message);
    }
    const response = JSON.parse(textDecoder.decode(out.get('response')));
    if (response.need_kv) return { needKv: response.need_kv };
    return {
      status: response.status,
      headers: response.headers,
      body: out.get('body') ?? new Uint8Array(),
      kvWrites: response.kv_writes.map((write) => ({
        key: write.key,
        expect: write.expect,
        value: write.delete ? null : out.get(`kv:${write.key}`),
      })),
      blobWrites: response.blob_writes.map((name) => ({ name, bytes: out.get(`blob:${name}`) })),
      blobStreams: response.blob_streams ?? [],
      blobMoves: response.blob_moves,
      blobDeletes: response.blob_deletes,
      responseBlob: response.response_blob ?? null,
      effects: response.effects,
    };
  }

  async #invoke(encoded) {
    const { sluice_alloc: alloc, sluice_free: free, memory } = this.#exports;
    const size = frameSize(encoded);
    const inPointer = alloc(size);
    if (!inPointer) throw new EdgeModuleError('module_out_of_memory', 'the module could not allocate the request');
    writeFrame(new Uint8Array(memory.buffer, inPointer, size), encoded);
    const outPointer = await this.#handle(inPointer, size);
    free(inPointer);
    if (!outPointer) throw new EdgeModuleError('module_out_of_memory', 'the module could not allocate the response');
    const length = new DataView(memory.buffer).getUint32(outPointer, true);
    const output = new Uint8Array(memory.buffer, outPointer + 4, length).slice();
    free(outPointer);
    return output;
  }
}
