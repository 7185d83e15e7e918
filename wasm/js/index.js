// The npm package `sluice`: loads the core (WebAssembly) and exposes it.
// Browsers fetch the .wasm next to this package (or from `wasmUrl`); Node reads
// it from disk. Every call crosses the boundary once, with one buffer each way.
import createSluiceCore from '../dist/sluice-core.mjs';

/** An error from the core, with a stable machine-readable `code`. */
export class SluiceError extends Error {
  constructor({ code, message, offset }) {
    super(message);
    this.name = 'SluiceError';
    this.code = code;
    if (offset !== undefined) this.offset = offset;
  }
}

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' &&
  typeof window === 'undefined';

async function loadWasmBinary(wasmUrl) {
  const url = wasmUrl ? new URL(wasmUrl, import.meta.url) : new URL('../dist/sluice-core.wasm', import.meta.url);
  if (isNode && url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`sluice: cannot load ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function unwrap(json) {
  const result = JSON.parse(json);
  if (result.error) throw new SluiceError(result.error);
  return result;
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
    /** Versions of Sluice and of the libraries compiled into it. */
    versions() {
      return JSON.parse(core.versions());
    },
  };
}
