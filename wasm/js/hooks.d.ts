// Types of 'sluice/hooks': the QuickJS sandbox that runs a schema's hooks.
import type { HookStageRunner } from './index.js';

export interface HookLimits {
  /** Bytes of memory one stage's sandbox may use (default 256 MiB). */
  memoryBytes: number;
  /** Milliseconds one row hook call may run (default 1000). */
  rowCallMs: number;
  /** Milliseconds a column, bulk or beforeFinish call may run (default 30000). */
  callMs: number;
}

export declare const HOOK_LIMITS: Readonly<HookLimits>;

export declare class HookRunner implements HookStageRunner {
  readonly limits: HookLimits;
  runStage(request: unknown): Promise<{ results: unknown[] } | { error: { hook: string; index?: number; message: string } }>;
}

export interface HookRunnerOptions {
  /** A compiled WebAssembly.Module of @jitl/quickjs-wasmfile-release-sync's emscripten-module.wasm (Workers). */
  wasmModule?: WebAssembly.Module;
  /** Its bytes. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where to fetch it (browsers). In Node none of the three is needed. */
  wasmUrl?: string | URL;
  limits?: Partial<HookLimits>;
}

export declare function createHookRunner(options?: HookRunnerOptions): Promise<HookRunner>;

/** The rounds of an import with hooks, for any runner (importWithHooks uses it). */
export declare function runHookRounds<T extends { request?: unknown }>(
  round: (outputsJson: string) => Promise<T>, runner: HookStageRunner): Promise<T>;
