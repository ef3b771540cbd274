import { beforeAll, describe, expect, it } from '@jest/globals';
import { newQuickJSWASMModule, type QuickJSWASMModule } from 'quickjs-emscripten';
import { evaluateJob } from './quickjs-evaluation.js';
import type { CodeJob } from './sandbox-protocol.js';

const probes = { isAborted: () => false, isMemoryExhausted: () => false };

function job(code: string, inputs: Record<string, unknown> = {}, overrides: Partial<CodeJob> = {}): CodeJob {
  return {
    kind: 'code',
    code,
    inputNames: Object.keys(inputs),
    inputsJson: JSON.stringify(Object.values(inputs)),
    timeoutMs: 1000,
    memoryLimitBytes: 32 * 1024 * 1024,
    ...overrides,
  };
}

describe('evaluateJob', () => {
  let qjs: QuickJSWASMModule;

  beforeAll(async () => {
    qjs = await newQuickJSWASMModule();
  });

  it('returns the JSON of what the code returns', () => {
    expect(evaluateJob(qjs, job('return { sum: a + b }', { a: 1, b: 2 }), probes)).toEqual({
      ok: true,
      resultJson: '{"sum":3}',
    });
  });

  it('disposes every handle: QuickJS asserts on leaks when a runtime is freed, and memory stays flat', () => {
    const codes = [
      'return [x, new Array(1000).fill(x)]',
      'throw new Error("no")',
      'return (',
      'return () => 1',
      'const o = {}; o.o = o; return o',
      'return "x".repeat(2 ** 26)',
      'return Promise.reject(new Error("late"))',
      'while (true) {}',
    ];
    const run = (index: number) =>
      evaluateJob(qjs, job(codes[index % codes.length], { x: index }, { timeoutMs: 5 }), probes);
    for (let i = 0; i < codes.length * 3; i++) run(i);
    const memoryBefore = qjs.getWasmMemory().buffer.byteLength;
    const outcomes = new Set<string>();
    for (let i = 0; i < codes.length * 40; i++) {
      const outcome = run(i);
      outcomes.add(outcome.ok ? 'ok' : outcome.type);
    }
    expect([...outcomes].sort()).toEqual(['code_error', 'code_memory', 'code_result_invalid', 'code_timeout', 'ok']);
    expect(qjs.getWasmMemory().buffer.byteLength).toBe(memoryBefore);
  });

  it('stops when the host aborts', () => {
    let polls = 0;
    const outcome = evaluateJob(qjs, job('while (true) {}', {}, { timeoutMs: 10_000 }), {
      isAborted: () => ++polls > 3,
      isMemoryExhausted: () => false,
    });
    expect(outcome).toEqual({ ok: false, type: 'aborted', message: 'stopped' });
  });

  it('counts an exception it cannot describe as out of memory when the memory is exhausted', () => {
    const outcome = evaluateJob(qjs, job('throw null'), { isAborted: () => false, isMemoryExhausted: () => true });
    expect(outcome).toMatchObject({ ok: false, type: 'code_memory' });
    expect(evaluateJob(qjs, job('throw null'), probes)).toEqual({
      ok: false,
      type: 'code_error',
      message: 'uncaught null',
    });
  });
});
