/** An error from the core, with a stable machine-readable `code`. */
export declare class SluiceError extends Error {
  readonly code: string;
  readonly offset?: number;
}

export interface CreateSluiceOptions {
  /** Where the .wasm file is served from (default: beside the package). */
  wasmUrl?: string | URL;
  /** The .wasm bytes, to skip fetching or reading them. */
  wasmBinary?: Uint8Array | ArrayBuffer;
}

export interface ParseOptions {
  /** One-character field delimiter (default ","). */
  delimiter?: string;
}

export interface Versions {
  sluice: string;
  zlib: string;
  debian_sources: Record<string, string>;
}

export interface Sluice {
  /** Rows of delimited text as arrays of strings (RFC 4180). Throws SluiceError. */
  parse(input: Uint8Array | ArrayBuffer | ArrayBufferView | string, options?: ParseOptions): string[][];
  /** Versions of Sluice and of the libraries compiled into it. */
  versions(): Versions;
}

export declare function createSluice(options?: CreateSluiceOptions): Promise<Sluice>;
