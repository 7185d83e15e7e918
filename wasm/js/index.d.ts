/** An error from the core, with a stable machine-readable `code`. */
export declare class SluiceError extends Error {
  readonly code: string;
  readonly offset?: number;
  /** For schema_invalid: every problem, with its JSON path. */
  readonly details?: SchemaProblem[];
}

export interface SchemaProblem {
  path: string;
  code: string;
  message: string;
}

/** A Dromo schema: {name?, fields, settings?, hooks?} (see SCHEMA.md). */
export type Schema = Record<string, unknown>;

export interface ImportOptions extends ReadOptions {
  /** A remembered mapping: header text -> field key; it wins where its headers are present. */
  mapping?: Record<string, string>;
}

/** The cleaned rows, decoded one at a time from one buffer. */
export declare class ImportRows implements Iterable<Record<string, unknown>> {
  readonly length: number;
  at(index: number): Record<string, unknown> | undefined;
  [Symbol.iterator](): Iterator<Record<string, unknown>>;
  toArray(): Record<string, unknown>[];
  toNdjson(): string;
}

export interface ImportResult {
  outcome: 'SUCCESSFUL' | 'NEEDS_REVIEW' | 'FAILED';
  reasons: { code: string; message: string; fieldKey?: string }[];
  /** The result metadata of API.md (num_data_rows, rowsWithError, errors, fields, rawHeaders, detected, ...). */
  metadata: Record<string, unknown>;
  rows: ImportRows;
}

export interface CreateSluiceOptions {
  /** Where the .wasm file is served from (default: beside the package). */
  wasmUrl?: string | URL;
  /** The .wasm bytes, to skip fetching or reading them. */
  wasmBinary?: Uint8Array | ArrayBuffer;
}

/** Bounds against hostile input; each exceeded bound throws a SluiceError with its code. */
export interface ReadLimits {
  maxCellBytes?: number;
  maxColumns?: number;
  maxJsonDepth?: number;
  maxUncompressedBytes?: number;
  maxCompressionRatio?: number;
}

export interface ReadOptions {
  /** One-character delimiter of delimited text; sniffed when absent. */
  delimiter?: string;
  /** XLSX: the sheet to read; the first visible one with data when absent. */
  sheet?: string;
  /** 0-based header row, instead of detection (inspect). */
  headerRowOverride?: number;
  limits?: ReadLimits;
}

export interface InspectOptions extends ReadOptions {
  /** Rows returned in `preview` (default 20). */
  previewRows?: number;
}

export interface Inspection {
  format: 'csv' | 'tsv' | 'delimited' | 'xlsx' | 'json';
  formatEvidence: string;
  encoding: { name: string; bom: boolean; evidence: string };
  dialect: { delimiter: string; quote: string; lineEnding: 'crlf' | 'lf' | 'cr' | 'mixed' | 'none'; evidence: string } | null;
  sheets: { name: string; rows: number; columns: number; visible: boolean; selected: boolean }[];
  header: { row: number | null; confidence: number; evidence: string[] };
  columns: number;
  rows: number;
  ragged: { expectedColumns: number; shortRows: number; longRows: number; examples: number[] };
  notices: { code: string; message: string }[];
  preview: string[][];
}

export interface Versions {
  sluice: string;
  zlib: string;
  debian_sources: Record<string, string>;
}

type Bytes = Uint8Array | ArrayBuffer | ArrayBufferView | string;

export interface Sluice {
  /** Every row of a file as arrays of strings. Throws SluiceError. */
  parse(input: Bytes, options?: ReadOptions): string[][];
  /** Format, encoding, dialect, sheets, header row and the first rows. Throws SluiceError. */
  inspect(input: Bytes, options?: InspectOptions): Inspection;
  /** Imports a file with a schema: the same verdict as the CLI and the API. Throws SluiceError. */
  importFile(input: Bytes, schema: Schema | string, options?: ImportOptions): ImportResult;
  /** Checks a schema: every problem with its JSON path. */
  checkSchema(schema: Schema | string): { valid: boolean; problems: SchemaProblem[] };
  /** Versions of Sluice and of the libraries compiled into it. */
  versions(): Versions;
}

export declare function createSluice(options?: CreateSluiceOptions): Promise<Sluice>;
