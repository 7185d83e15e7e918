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
  /** A person's review applied over the file: the import the server runs after it. */
  review?: ReviewChanges;
  /** Called as the import goes: "read" (the file is read), "check" (done of total cells), "done". */
  onProgress?: (progress: ImportProgress) => void;
  /** Import a schema with hooks without running them (importFile refuses it otherwise: hooks_need_runner). */
  skipHooks?: boolean;
}

/** importFile with the rows handed over as they are checked instead of kept. */
export interface StreamingImportOptions extends ImportOptions {
  /** Each chunk of the rows' bytes, in order (a copy: it may be kept); nothing for a FAILED import. */
  onRows: (chunk: Uint8Array) => void;
  /** The bytes' format: 'ndjson' (default), 'json' (one array) or 'csv'. */
  rowFormat?: 'ndjson' | 'json' | 'csv';
}

/**
 * importFile with the rows handed over as views of the module's memory, valid only until the call
 * returns (no copy: for a consumer that writes each chunk out at once). Not in `sluice/worker`.
 */
export interface ViewStreamingImportOptions extends ImportOptions {
  onRowsView: (view: Uint8Array) => void;
  /** The bytes' format: 'ndjson' (default), 'json' (one array) or 'csv'. */
  rowFormat?: 'ndjson' | 'json' | 'csv';
}

/** What runs a hook stage: createHookRunner from 'sluice/hooks'. */
export interface HookStageRunner {
  runStage(request: unknown): Promise<{ results: unknown[] } | { error: { hook: string; index?: number; message: string } }>;
}

export interface ImportWithHooksOptions extends ImportOptions {
  hookRunner: HookStageRunner;
}

export interface ImportProgress {
  /** 'load': importBlob reading the file into the module (done of total bytes). */
  stage: 'load' | 'read' | 'check' | 'done';
  bytes: number;
  rows: number;
  done: number;
  total: number;
}

/** The cleaned rows, decoded one at a time from one buffer. */
export declare class ImportRows implements Iterable<Record<string, unknown>> {
  readonly length: number;
  at(index: number): Record<string, unknown> | undefined;
  [Symbol.iterator](): Iterator<Record<string, unknown>>;
  toArray(): Record<string, unknown>[];
  toNdjson(): string;
  /** Its buffer and row offsets, to send to another thread. */
  parts(): { bytes: Uint8Array; offsets: Uint32Array };
  static fromParts(parts: { bytes: Uint8Array; offsets: Uint32Array }): ImportRows;
}

export interface ImportResult {
  outcome: 'SUCCESSFUL' | 'NEEDS_REVIEW' | 'FAILED';
  reasons: { code: string; message: string; fieldKey?: string; hook?: string; rowIndex?: number }[];
  /** The result metadata of API.md (num_data_rows, rowsWithError, errors, fields, rawHeaders, detected, ...). */
  metadata: Record<string, unknown>;
  rows: ImportRows;
}

/** What importFile with onRows gives: the rows went to onRows. */
export interface StreamedImportResult extends Omit<ImportResult, 'rows'> {
  rows: null;
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

/** A person's review, as POST /api/v1/headless/imports/{id}/review/ takes it. */
export interface ReviewChanges {
  headerRow?: number | null;
  /** File column index -> field key (or null: unmapped). */
  mapping?: Record<string, string | null> | null;
  edits?: { rowIndex: number; fieldKey: string; value: string | null }[];
  removedRows?: number[];
  addedRows?: Record<string, string | null>[];
  /** Select fields: file value -> the option value a person chose. */
  optionMappings?: Record<string, Record<string, string>>;
}

export interface ReviewMessage {
  rowIndex?: number;
  fieldKey: string;
  code: string;
  level: 'error' | 'warning' | 'info';
  message: string;
  value: string;
}

export interface ReviewRow {
  rowIndex: number;
  /** Each field's value as the result holds it (invalid cells: their text). */
  values: Record<string, unknown>;
  /** Each field's text as read or edited. */
  texts: Record<string, string>;
  messages: ReviewMessage[];
}

export interface ReviewEdit {
  /** Every cell whose messages changed, with its messages now. */
  changed: { rowIndex: number; fieldKey: string; messages: ReviewMessage[] }[];
  /** The import ran again: read everything afresh. */
  all?: boolean;
  /** findReplace: how many cells were replaced. */
  replaced?: number;
}

export interface ReviewSummary {
  rows: number;
  rowsWithError: number;
  errors: number;
  warnings: number;
  byField: Record<string, Record<string, number>>;
  outcome: 'SUCCESSFUL' | 'NEEDS_REVIEW' | 'FAILED';
  reasons: { code: string; message: string; fieldKey?: string; hook?: string; rowIndex?: number }[];
  mapping: { column: number; header: string; fieldKey: string; confidence: number; reason: string }[];
  headerRow: number;
  rawHeaders: string[];
}

export declare class ReviewSession {
  readonly rowCount: number;
  rows(offset?: number, limit?: number): ReviewRow[];
  messages(filter?: { level?: 'error' | 'warning' | 'info'; field?: string; offset?: number; limit?: number }): {
    count: number;
    messages: ReviewMessage[];
  };
  summary(): ReviewSummary;
  /** True while the schema's hooks have a stage left to run (after opening, and after every edit). */
  readonly hooksPending: boolean;
  /** Runs the schema's hooks over the session as the server will, in the runner's sandbox. */
  runHooks(hookRunner: HookStageRunner): Promise<void>;
  setCell(row: number, field: string, value: string | null): ReviewEdit;
  addRow(values?: Record<string, string | null>): ReviewEdit;
  removeRows(rows: number[]): ReviewEdit;
  setHeaderRow(row: number): ReviewEdit;
  setMapping(mapping: Record<string, string | null>): ReviewEdit;
  /** A select field's file value read as one of its options (null: forget the choice). */
  setOptionMapping(field: string, fileValue: string, option: string | null): ReviewEdit;
  findReplace(spec: { find: string; replace: string; field?: string; matchCase?: boolean; wholeCell?: boolean }): ReviewEdit;
  undo(): boolean;
  redo(): boolean;
  changes(): ReviewChanges;
  export(options?: { format?: 'json' | 'ndjson' | 'csv' }): string;
  close(): void;
}

/** A source's bytes in pieces. */
export type Pieces = Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>;

export interface Sluice {
  /** Every row of a file as arrays of strings. Throws SluiceError. */
  parse(input: Bytes, options?: ReadOptions): string[][];
  /** Format, encoding, dialect, sheets, header row and the first rows. Throws SluiceError. */
  inspect(input: Bytes, options?: InspectOptions): Inspection;
  /** Imports a file with a schema: the same verdict as the CLI and the API. Throws SluiceError. */
  importFile(input: Bytes, schema: Schema | string, options: StreamingImportOptions | ViewStreamingImportOptions): StreamedImportResult;
  importFile(input: Bytes, schema: Schema | string, options?: ImportOptions): ImportResult;
  /**
   * importFile for a Blob or File (a file input's; Node's fs.openAsBlob), read in slices straight into
   * the module's memory: JavaScript never holds the whole file. Calls are taken one at a time. With
   * onRows or onRowsView the Blob is read in passes: delimited UTF-8 text is never held whole.
   */
  importBlob(blob: Blob, schema: Schema | string, options: StreamingImportOptions | ViewStreamingImportOptions): Promise<StreamedImportResult>;
  importBlob(blob: Blob, schema: Schema | string, options?: ImportOptions): Promise<ImportResult>;
  /**
   * importFile for bytes that come in pieces (Node's fs.createReadStream, a Blob's stream(), a fetch
   * Response's body), each copied into the module as it comes. `size`: the total, when known.
   * `pieces` may be a function giving such pieces anew (() => fs.createReadStream(path)): with onRows
   * or onRowsView the source is then read in passes, once per call, and never held whole.
   */
  importStream(pieces: Pieces | (() => Pieces), schema: Schema | string,
    options: (StreamingImportOptions | ViewStreamingImportOptions) & { size?: number }): Promise<StreamedImportResult>;
  importStream(pieces: Pieces | (() => Pieces), schema: Schema | string,
    options?: ImportOptions & { size?: number }): Promise<ImportResult>;
  /**
   * importFile for a schema with JavaScript hooks, each stage run in the
   * runner's sandbox. A hook that throws, times out or runs out of memory:
   * FAILED (hook_failed, naming hook and row).
   */
  importWithHooks(input: Bytes, schema: Schema | string, options: ImportWithHooksOptions): Promise<ImportResult>;
  /** Checks a schema: every problem with its JSON path. */
  checkSchema(schema: Schema | string): { valid: boolean; problems: SchemaProblem[] };
  /** A review session on a file (the review page's editor). Throws SluiceError. */
  openReview(input: Bytes, schema: Schema | string, options?: { changes?: ReviewChanges }): ReviewSession;
  /** Versions of Sluice and of the libraries compiled into it. */
  versions(): Versions;
  /** Bytes of the module's heap in use (diagnostics). */
  heapInUse(): number;
}

export declare function createSluice(options?: CreateSluiceOptions): Promise<Sluice>;
