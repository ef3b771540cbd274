/**
 * A sandbox worker thread: runs one job at a time — CodeNode code in a fresh QuickJS runtime and
 * context, a JSONata expression (`jsonata-evaluation.ts`) or a large template fill.
 *
 * QuickJS's own memory limit does not see memory that grows by reallocation in this WebAssembly
 * build, so the limit is enforced by the WebAssembly memory itself: each module instance gets a
 * memory whose maximum is BASE_BYTES + the job's limit, and allocations past it fail inside
 * QuickJS as "out of memory". The compiled module is shared; an instance is reused by the next
 * job with the same limit unless it failed or grew large.
 *
 * The host sets `abortFlag[0]` to stop the running job; the interrupt handler reads it, since this
 * thread's event loop is busy while a job runs.
 */
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC, type QuickJSWASMModule } from 'quickjs-emscripten';
import { NodeFailure } from '../node-type.js';
import { renderTemplate } from '../template.js';
import { evaluateExpressionJob } from './jsonata-evaluation.js';
import { evaluateJob } from './quickjs-evaluation.js';
import {
  WORKER_READY,
  type CodeJob,
  type SandboxJob,
  type SandboxOutcome,
  type TemplateJob,
} from './sandbox-protocol.js';

interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
// TypeScript declares WebAssembly only in its DOM libraries; these are the parts used here.
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
  compile(bytes: Uint8Array): Promise<unknown>;
};

const PAGE_BYTES = 64 * 1024;
/** The memory every instance starts with (the build's INITIAL_MEMORY): stack, static data, QuickJS itself. */
const BASE_BYTES = 16 * 1024 * 1024;
/** An instance whose memory grew past this is not kept for the next job (memory never shrinks). */
const KEEP_BELOW_BYTES = 48 * 1024 * 1024;

interface Instance {
  qjs: QuickJSWASMModule;
  memory: WasmMemory;
  maxBytes: number;
}

const port = parentPort!;
const abortFlag = new Int32Array((workerData as { abortFlag: SharedArrayBuffer }).abortFlag);
// Compiled on the first CodeNode job, so a worker that only evaluates expressions starts fast.
let wasmModule: Promise<unknown> | undefined;
let kept: Instance | undefined;

async function newInstance(maxBytes: number): Promise<Instance> {
  wasmModule ??= readFile(new URL(import.meta.resolve('@jitl/quickjs-wasmfile-release-sync/wasm'))).then((bytes) =>
    WebAssembly.compile(bytes),
  );
  const pages = maxBytes / PAGE_BYTES;
  const memory = new WebAssembly.Memory({ initial: BASE_BYTES / PAGE_BYTES, maximum: pages });
  const qjs = await newQuickJSWASMModuleFromVariant(
    newVariant(RELEASE_SYNC, { wasmModule: await wasmModule, wasmMemory: memory }),
  );
  return { qjs, memory, maxBytes };
}

async function runCode(job: CodeJob): Promise<SandboxOutcome> {
  const maxBytes = BASE_BYTES + Math.ceil(job.memoryLimitBytes / PAGE_BYTES) * PAGE_BYTES;
  const instance = kept?.maxBytes === maxBytes ? kept : await newInstance(maxBytes);
  kept = undefined;
  let outcome: SandboxOutcome;
  try {
    outcome = evaluateJob(instance.qjs, job, {
      isAborted: () => Atomics.load(abortFlag, 0) !== 0,
      // Allocation fails when the memory cannot grow by what was asked; within 1/8 of the maximum counts as full.
      isMemoryExhausted: () => instance.memory.buffer.byteLength >= instance.maxBytes - job.memoryLimitBytes / 8,
    });
  } catch (error) {
    // The module itself failed (most often: the native stack ran out); the instance is dropped.
    return { ok: false, type: 'code_error', message: crashMessage(error) };
  }
  if (instance.memory.buffer.byteLength < KEEP_BELOW_BYTES) kept = instance;
  return outcome;
}

function crashMessage(error: unknown): string {
  if (error instanceof RangeError) return 'stack overflow: recursion too deep';
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return `the sandbox failed while running the code: ${message}`;
}

function fillTemplate(job: TemplateJob): SandboxOutcome {
  try {
    return { ok: true, resultJson: JSON.stringify(renderTemplate(job.template, job.values, job.secrets)) };
  } catch (error) {
    if (error instanceof NodeFailure)
      return { ok: false, type: error.type as 'input_missing' | 'secret_missing', message: error.message };
    throw error;
  }
}

function run(job: SandboxJob): Promise<SandboxOutcome> {
  if (job.kind === 'jsonata') return evaluateExpressionJob(job);
  if (job.kind === 'template') return Promise.resolve(fillTemplate(job));
  return runCode(job);
}

port.on('message', (job: SandboxJob) => {
  void run(job).then((outcome) => port.postMessage(outcome));
});
port.postMessage(WORKER_READY);
