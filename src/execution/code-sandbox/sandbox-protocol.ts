/** Messages between the CodeNode host (`code-sandbox.ts`) and its workers (`sandbox-worker.ts`). */

/** One execution of CodeNode code. */
export interface SandboxJob {
  /** A JavaScript function body. */
  code: string;
  /** Parameter names, in order. */
  inputNames: string[];
  /** A JSON array with the input values, in `inputNames` order. */
  inputsJson: string;
  timeoutMs: number;
  memoryLimitBytes: number;
}

export type SandboxFailureType = 'code_timeout' | 'code_memory' | 'code_error' | 'code_result_invalid';

export type SandboxOutcome =
  | { ok: true; resultJson: string }
  | { ok: false; type: SandboxFailureType; message: string }
  /** The host asked the execution to stop (the run was stopped). */
  | { ok: false; type: 'aborted'; message: string };

/** The first message a worker sends, once its WebAssembly module is loaded. */
export const WORKER_READY = 'ready';

/** A result whose JSON is longer than this (in UTF-16 code units) fails the node. */
export const MAX_RESULT_JSON_LENGTH = 10 * 1024 * 1024;
