/**
 * Runs one CodeNode job in a fresh QuickJS runtime and context (disposed before returning), with
 * the job's memory limit, a bounded stack and an interrupt handler that ends the code at its
 * deadline or when the host aborts. The context has only the ECMAScript built-ins: no require,
 * process, fetch, timers, module loader, filesystem or console.
 */
import { Scope, type QuickJSContext, type QuickJSHandle, type QuickJSWASMModule } from 'quickjs-emscripten';
import {
  MAX_RESULT_JSON_LENGTH,
  type SandboxFailureType,
  type CodeJob,
  type SandboxOutcome,
} from './sandbox-protocol.js';

/** QuickJS's own stack limit; the worker's native stack is sized well above what this allows. */
export const MAX_STACK_BYTES = 512 * 1024;
/** What our own code gets inside the VM after the user's code failed, to describe the error. */
const HEADROOM_BYTES = 1024 * 1024;
const HEADROOM_MS = 200;
/** The file name errors point to; the user's first line is line 1 of it. */
const CODE_FILE = 'code.js';
/** An error's message is kept up to this length. */
const MAX_MESSAGE_LENGTH = 1000;

/**
 * Evaluated before the user's code, so it holds the original JSON functions even if the code
 * replaces them. It builds every value the host reads as a fresh array literal (own properties
 * only), so nothing the code does to prototypes changes what the host sees.
 */
const HARNESS = `(() => {
  'use strict';
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const getPrototypeOf = Object.getPrototypeOf;
  const promisePrototype = Promise.prototype;
  const apply = Reflect.apply;
  const slice = String.prototype.slice;
  const cut = (text) => apply(slice, text, [0, ${MAX_MESSAGE_LENGTH}]);
  return {
    inputs: (text) => parse(text),
    result(value) {
      const kind = typeof value;
      if (kind === 'undefined' || kind === 'function' || kind === 'symbol') return ['invalid', kind];
      if (kind === 'object' && value !== null && getPrototypeOf(value) === promisePrototype) return ['invalid', 'Promise'];
      const json = stringify(value);
      if (typeof json !== 'string') return ['invalid', 'undefined'];
      return json.length > ${MAX_RESULT_JSON_LENGTH} ? ['too_large', ''] : ['json', json];
    },
    describe(error) {
      try {
        if (error !== null && (typeof error === 'object' || typeof error === 'function')) {
          const { name, message, stack } = error;
          const where = typeof stack === 'string' ? cut(stack) : '';
          if (typeof message === 'string') return [typeof name === 'string' ? cut(name) : '', cut(message), where];
          return ['', cut(stringify(error) ?? String(error)), where];
        }
        return ['', cut(String(error)), ''];
      } catch {
        return ['', '', ''];
      }
    },
  };
})()`;

type Stage = 'code' | 'result';

interface Budget {
  deadline: number;
  interrupted: 'timeout' | 'aborted' | null;
}

class EvaluationFailure {
  constructor(
    readonly stage: Stage,
    readonly error: QuickJSHandle,
  ) {}
}

export interface EvaluationProbes {
  /** True once the host wants the job stopped. */
  isAborted(): boolean;
  /** True when the WebAssembly memory is (nearly) at its maximum, i.e. allocations have been failing. */
  isMemoryExhausted(): boolean;
}

/**
 * Evaluates the job. Every outcome of the user's code is returned; a thrown exception means the
 * WebAssembly module itself failed (e.g. the native stack ran out), and the module must be discarded:
 * nothing is disposed then, since its state is unknown.
 */
export function evaluateJob(qjs: QuickJSWASMModule, job: CodeJob, probes: EvaluationProbes): SandboxOutcome {
  const runtime = qjs.newRuntime();
  runtime.setMaxStackSize(MAX_STACK_BYTES);
  const context = runtime.newContext();
  const outcome = Scope.withScope((scope): SandboxOutcome => {
    const evaluation = new Evaluation(context, scope, job);
    // The limits start once our harness is in place: they are the user's.
    const budget: Budget = { deadline: Date.now() + job.timeoutMs, interrupted: null };
    runtime.setMemoryLimit(job.memoryLimitBytes);
    runtime.setInterruptHandler(() => {
      if (probes.isAborted()) budget.interrupted = 'aborted';
      else if (Date.now() > budget.deadline) budget.interrupted ??= 'timeout';
      return budget.interrupted !== null;
    });
    try {
      return evaluation.run();
    } catch (failure) {
      if (!(failure instanceof EvaluationFailure)) throw failure;
      scope.manage(failure.error);
      if (budget.interrupted === 'aborted') return { ok: false, type: 'aborted', message: 'stopped' };
      if (budget.interrupted === 'timeout') {
        return fail('code_timeout', `the code ran longer than ${job.timeoutMs} ms (timeout_ms)`);
      }
      // Room for describing the error, even when the code used all its memory and time.
      runtime.setMemoryLimit(job.memoryLimitBytes + HEADROOM_BYTES);
      budget.deadline = Date.now() + HEADROOM_MS;
      return evaluation.explain(failure, probes.isMemoryExhausted());
    }
  });
  context.dispose();
  runtime.dispose();
  return outcome;
}

class Evaluation {
  private readonly harness: QuickJSHandle;

  constructor(
    private readonly context: QuickJSContext,
    private readonly scope: Scope,
    private readonly job: CodeJob,
  ) {
    this.harness = scope.manage(context.unwrapResult(context.evalCode(HARNESS, 'harness.js', { type: 'global' })));
  }

  run(): SandboxOutcome {
    const { context, scope, job } = this;
    const inputs = this.callHarness('code', 'inputs', scope.manage(context.newString(job.inputsJson)));
    // The body starts on the wrapper's first line, so error line numbers are the user's own.
    const wrapper = `(function (${job.inputNames.join(', ')}) {${job.code}\n})`;
    const fn = this.settle('code', context.evalCode(wrapper, CODE_FILE, { type: 'global' }));
    const args = job.inputNames.map((_, index) => scope.manage(context.getProp(inputs, index)));
    const returned = this.settle('code', context.callFunction(fn, context.undefined, ...args));
    const [kind, text] = this.readStrings(this.callHarness('result', 'result', returned), 2);
    if (kind === 'json') return { ok: true, resultJson: text };
    if (kind === 'too_large') {
      return invalid(`the result is larger than ${MAX_RESULT_JSON_LENGTH / 1024 / 1024} MiB of JSON`);
    }
    if (text === 'undefined') {
      return invalid('the code returned undefined: end it with `return <value>` (`return null` for no value)');
    }
    if (text === 'Promise') {
      return invalid('the code returned a Promise: it runs synchronously, so return the value itself (no await)');
    }
    return invalid(`the code returned a ${text}, which is not JSON`);
  }

  /** Turns an exception from the user's code (or from encoding its result) into an outcome. */
  explain(failure: EvaluationFailure, memoryExhausted: boolean): SandboxOutcome {
    const described = this.describe(failure.error);
    // Out of memory, QuickJS may fail to create its error object and throw null (or nothing usable).
    const outOfMemory =
      described === undefined || described.name === ''
        ? memoryExhausted
        : described.name === 'InternalError' && described.message === 'out of memory';
    if (outOfMemory) {
      const limitMb = this.job.memoryLimitBytes / 1024 / 1024;
      return fail('code_memory', `the code used more than ${limitMb} MiB of memory (memory_limit_mb)`);
    }
    if (!described) return fail('code_error', 'the code threw an exception that cannot be described');
    const { name, message, line } = described;
    const where = line === undefined ? '' : ` (line ${line})`;
    if (name === 'InternalError' && message === 'stack overflow') {
      return fail('code_error', `stack overflow: recursion too deep${where}`);
    }
    const text = name === '' ? `uncaught ${message}` : message === '' ? name : `${name}: ${message}`;
    if (failure.stage === 'result') return invalid(`the result cannot be turned into JSON: ${text}`);
    return fail('code_error', `${text}${where}`);
  }

  private describe(error: QuickJSHandle): { name: string; message: string; line?: number } | undefined {
    const method = this.scope.manage(this.context.getProp(this.harness, 'describe'));
    const described = this.context.callFunction(method, this.context.undefined, error);
    if (described.error) {
      described.error.dispose();
      return undefined;
    }
    const [name, message, stack] = this.readStrings(this.scope.manage(described.value), 3);
    const line = /\(?code\.js:(\d+)/.exec(stack)?.[1];
    return { name, message, line: line === undefined ? undefined : Number(line) };
  }

  private callHarness(stage: Stage, name: string, argument: QuickJSHandle): QuickJSHandle {
    const method = this.scope.manage(this.context.getProp(this.harness, name));
    return this.settle(stage, this.context.callFunction(method, this.context.undefined, argument));
  }

  private settle(stage: Stage, result: ReturnType<QuickJSContext['evalCode']>): QuickJSHandle {
    if (result.error) throw new EvaluationFailure(stage, result.error);
    return this.scope.manage(result.value);
  }

  /** Reads `count` strings from an array the harness built. */
  private readStrings(array: QuickJSHandle, count: number): string[] {
    return Array.from({ length: count }, (_, index) => {
      const item = this.scope.manage(this.context.getProp(array, index));
      return this.context.typeof(item) === 'string' ? this.context.getString(item) : '';
    });
  }
}

function fail(type: SandboxFailureType, message: string): SandboxOutcome {
  return { ok: false, type, message };
}

function invalid(message: string): SandboxOutcome {
  return fail('code_result_invalid', message);
}
