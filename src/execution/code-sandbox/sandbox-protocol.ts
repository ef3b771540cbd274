/** Messages between the sandbox host (`code-sandbox.ts`) and its workers (`sandbox-worker.ts`). */

/** One execution of CodeNode code. */
export interface CodeJob {
  kind: 'code';
  /** A JavaScript function body. */
  code: string;
  /** Parameter names, in order. */
  inputNames: string[];
  /** A JSON array with the input values, in `inputNames` order. */
  inputsJson: string;
  timeoutMs: number;
  memoryLimitBytes: number;
}

/** One JSONata evaluation (TransformNode, ConditionNode). */
export interface ExpressionJob {
  kind: 'jsonata';
  expression: string;
  data: unknown;
  timeoutMs: number;
  /** A result whose JSON is larger (in UTF-8 bytes) fails with `value_too_large`. */
  maxValueBytes: number;
}

/** One large template fill (see template.ts); the values are already checked to fit. */
export interface TemplateJob {
  kind: 'template';
  template: string;
  values: Record<string, unknown>;
  secrets: Readonly<Record<string, string>>;
  timeoutMs: number;
}

export type SandboxJob = CodeJob | ExpressionJob | TemplateJob;

export type SandboxFailureType =
  | 'code_timeout'
  | 'code_memory'
  | 'code_error'
  | 'code_result_invalid'
  | 'expression_timeout'
  | 'expression_error'
  | 'value_too_large'
  | 'input_missing'
  | 'secret_missing';

export type SandboxOutcome =
  | { ok: true; resultJson: string }
  | { ok: false; type: SandboxFailureType; message: string }
  /** The host asked the execution to stop (the run was stopped). */
  | { ok: false; type: 'aborted'; message: string };

/** The first message a worker sends, once it is ready for jobs. */
export const WORKER_READY = 'ready';

/** A result whose JSON is longer than this (in UTF-16 code units) fails the node. */
export const MAX_RESULT_JSON_LENGTH = 10 * 1024 * 1024;
