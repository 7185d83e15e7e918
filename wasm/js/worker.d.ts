// Types of `sluice/worker`: the package's calls, run in a worker.
import type {
  CreateSluiceOptions, ImportOptions, ImportResult, InspectOptions, Inspection, ReadOptions, ReviewChanges, ReviewEdit,
  ReviewMessage, ReviewRow, ReviewSummary, Schema, SchemaProblem, StreamedImportResult, StreamingImportOptions, Versions,
} from './index.js';

export { SluiceError } from './index.js';

type Bytes = Uint8Array | ArrayBuffer | ArrayBufferView | string;

/** Where the worker finds the hook sandbox. */
export interface WorkerHookOptions {
  /** A module exporting createHookRunner (default: the package's hooks.js; pages without a bundler give a bundled copy). */
  hooksUrl?: string | URL;
  /** QuickJS's emscripten-module.wasm (browsers). */
  wasmUrl?: string | URL;
  limits?: Partial<import('./hooks.js').HookLimits>;
}

export declare class RemoteReviewSession {
  /** As of the last answer. */
  rowCount: number;
  rows(offset?: number, limit?: number): Promise<ReviewRow[]>;
  messages(filter?: { level?: 'error' | 'warning' | 'info'; field?: string; offset?: number; limit?: number }): Promise<{
    count: number;
    messages: ReviewMessage[];
  }>;
  summary(): Promise<ReviewSummary>;
  setCell(row: number, field: string, value: string | null): Promise<ReviewEdit>;
  addRow(values?: Record<string, string | null>): Promise<ReviewEdit>;
  removeRows(rows: number[]): Promise<ReviewEdit>;
  setHeaderRow(row: number): Promise<ReviewEdit>;
  setMapping(mapping: Record<string, string | null>): Promise<ReviewEdit>;
  setOptionMapping(field: string, fileValue: string, option: string | null): Promise<ReviewEdit>;
  findReplace(spec: { find: string; replace: string; field?: string; matchCase?: boolean; wholeCell?: boolean }): Promise<ReviewEdit>;
  undo(): Promise<boolean>;
  redo(): Promise<boolean>;
  changes(): Promise<ReviewChanges>;
  export(options?: { format?: 'json' | 'ndjson' | 'csv' }): Promise<string>;
  /** Whether the schema's hooks have a stage left to run (after opening and after each edit). */
  hooksPending(): Promise<boolean>;
  /** Runs the schema's hooks over the session in the worker's QuickJS sandbox. */
  runHooks(options?: WorkerHookOptions): Promise<{ pending: boolean }>;
  close(): Promise<void>;
}

export interface SluiceWorker {
  parse(input: Bytes, options?: ReadOptions): Promise<string[][]>;
  inspect(input: Bytes, options?: InspectOptions): Promise<Inspection>;
  /** As Sluice.importFile; `signal` cancels it (the promise rejects with code "cancelled"). With `onRows`, the
   * rows' bytes come out of the worker chunk by chunk (buffers moved, not copied) and `rows` is null. */
  importFile(input: Bytes, schema: Schema | string,
             options: StreamingImportOptions & { signal?: AbortSignal }): Promise<StreamedImportResult>;
  importFile(input: Bytes, schema: Schema | string, options?: ImportOptions & { signal?: AbortSignal }): Promise<ImportResult>;
  /** As Sluice.importBlob, in the worker: the Blob or File is passed to it, not its bytes. */
  importBlob(blob: Blob, schema: Schema | string,
    options: StreamingImportOptions & { signal?: AbortSignal }): Promise<StreamedImportResult>;
  importBlob(blob: Blob, schema: Schema | string, options?: ImportOptions & { signal?: AbortSignal }): Promise<ImportResult>;
  checkSchema(schema: Schema | string): Promise<{ valid: boolean; problems: SchemaProblem[] }>;
  versions(): Promise<Versions>;
  /** As Sluice.importWithHooks, the hooks run in the worker. */
  importWithHooks(input: Bytes, schema: Schema | string, options?: ImportOptions & { hooks?: WorkerHookOptions }): Promise<ImportResult>;
  openReview(input: Bytes, schema: Schema | string, options?: { changes?: ReviewChanges }): Promise<RemoteReviewSession>;
  /** Ends the work in progress (pending calls reject with "cancelled"); the next call starts afresh. */
  cancel(): Promise<void>;
  terminate(): Promise<void>;
}

export declare function createSluiceWorker(options?: CreateSluiceOptions): Promise<SluiceWorker>;
