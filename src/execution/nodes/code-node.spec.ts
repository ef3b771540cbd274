import { afterAll, describe, expect, it } from '@jest/globals';
import { fallbackSandbox } from '../node-services.js';
import { CodeNode, type CodeNodeConfig } from './code-node.js';
import { executed, testNodeContext } from './test-node-context.js';

afterAll(() => fallbackSandbox().close());

function run(config: CodeNodeConfig, inputs: Record<string, unknown> = {}, signal?: AbortSignal) {
  return executed(CodeNode, inputs, testNodeContext(config, signal ? { signal } : {}));
}

async function failure(config: CodeNodeConfig, inputs: Record<string, unknown> = {}) {
  const started = performance.now();
  const error = await run(config, inputs).then(
    (outputs) => ({ unexpected: outputs }),
    (thrown: { name: string; type: string; message: string }) => thrown,
  );
  return { error, ms: performance.now() - started };
}

describe('CodeNode config', () => {
  it('has one required input per name in `inputs` and the output `result`', () => {
    expect(CodeNode.inputs({ code: 'return a + b', inputs: ['a', 'b'] })).toEqual([
      { name: 'a', required: true },
      { name: 'b', required: true },
    ]);
    expect(CodeNode.inputs({ code: 'return 1' })).toEqual([]);
    expect(CodeNode.outputs({ code: 'return 1' }).map((o) => o.name)).toEqual(['result']);
  });

  it('accepts unique identifier names', () => {
    expect(CodeNode.checkConfig({ code: 'x', inputs: ['a', '_b', 'c9', 'ok'] })).toEqual([]);
  });

  it('reports names that are not identifiers, reserved words and repeats, by index', () => {
    expect(CodeNode.checkConfig({ code: 'x', inputs: ['a', 'a', '9a', 'my-name', 'return', ''] })).toEqual([
      { path: 'inputs[1]', message: 'duplicate input name "a"' },
      { path: 'inputs[2]', message: 'must be a letter or _ followed by letters, digits or _' },
      { path: 'inputs[3]', message: 'must be a letter or _ followed by letters, digits or _' },
      { path: 'inputs[4]', message: '"return" is reserved in JavaScript' },
      { path: 'inputs[5]', message: 'must be a letter or _ followed by letters, digits or _' },
    ]);
  });
});

describe('CodeNode execution', () => {
  it('gives each input as a variable and outputs what the code returns', async () => {
    await expect(run({ code: 'return a + b', inputs: ['a', 'b'] }, { a: 2, b: 40 })).resolves.toEqual({ result: 42 });
  });

  it('gives the outputs its catalog example shows', async () => {
    const { example } = CodeNode.describe();
    await expect(run(example!.config as CodeNodeConfig, example!.inputs)).resolves.toEqual(example!.outputs);
  });

  it('passes objects and arrays in and out as JSON values', async () => {
    const code = `
      const total = order.items.reduce((sum, item) => sum + item.price * item.qty, 0);
      return { customer: order.customer.toUpperCase(), total, tags: [...tags, 'priced'], none: null };
    `;
    const order = {
      customer: 'ada',
      items: [
        { price: 2.5, qty: 2 },
        { price: 1, qty: 3 },
      ],
    };
    await expect(run({ code, inputs: ['order', 'tags'] }, { order, tags: ['new'] })).resolves.toEqual({
      result: { customer: 'ADA', total: 8, tags: ['new', 'priced'], none: null },
    });
  });

  it('gives inputs named like Object.prototype members their own values', async () => {
    const code = 'return [typeof constructor, toString, __proto__]';
    await expect(
      run(
        { code, inputs: ['constructor', 'toString', '__proto__'] },
        JSON.parse('{"toString": "text", "__proto__": 1}'),
      ),
    ).resolves.toEqual({
      result: ['object', 'text', 1],
    });
  });

  it('returns strings, booleans, null and numbers; NaN becomes null as in JSON', async () => {
    await expect(run({ code: 'return "text"' })).resolves.toEqual({ result: 'text' });
    await expect(run({ code: 'return false' })).resolves.toEqual({ result: false });
    await expect(run({ code: 'return null' })).resolves.toEqual({ result: null });
    await expect(run({ code: 'return [1.5, NaN]' })).resolves.toEqual({ result: [1.5, null] });
  });

  it('has the ECMAScript built-ins (JSON, Math, Date, RegExp, Map)', async () => {
    const code =
      'return [JSON.parse(s).x, Math.max(1, 2), /b+/.exec("abbc")[0], new Map([[1, 2]]).get(1), typeof Date.now()]';
    await expect(run({ code, inputs: ['s'] }, { s: '{"x":1}' })).resolves.toEqual({
      result: [1, 2, 'bb', 2, 'number'],
    });
  });

  it('fails with code_error, the message and the line of an uncaught error', async () => {
    const { error } = await failure({ code: 'const a = 1;\nconst b = a + 1;\nthrow new TypeError(`bad ${b}`);' });
    expect(error).toMatchObject({ name: 'NodeFailure', type: 'code_error', message: 'TypeError: bad 2 (line 3)' });
    expect((await failure({ code: 'return missing + 1' })).error).toMatchObject({
      type: 'code_error',
      message: "ReferenceError: 'missing' is not defined (line 1)",
    });
    expect((await failure({ code: 'throw "just a string"' })).error).toMatchObject({
      type: 'code_error',
      message: 'uncaught just a string',
    });
    expect((await failure({ code: 'throw { code: 42 }' })).error).toMatchObject({
      type: 'code_error',
      message: 'uncaught {"code":42}',
    });
    expect(
      (await failure({ code: 'String.prototype.slice = null; throw new Error("x".repeat(5000))' })).error,
    ).toMatchObject({
      type: 'code_error',
      message: expect.stringMatching(/^Error: x{1000} \(line 1\)$/),
    });
  });

  it('fails with code_error on a syntax error, with its line', async () => {
    const { error } = await failure({ code: 'const x = 1;\n\nreturn x +;' });
    expect(error).toMatchObject({ type: 'code_error', message: expect.stringMatching(/^SyntaxError: .* \(line 3\)$/) });
  });

  it.each([
    ['', 'the code returned undefined: end it with `return <value>` (`return null` for no value)'],
    ['return () => 1', 'the code returned a function, which is not JSON'],
    ['return Symbol("s")', 'the code returned a symbol, which is not JSON'],
    [
      'return Promise.resolve(1)',
      'the code returned a Promise: it runs synchronously, so return the value itself (no await)',
    ],
    ['const o = {}; o.self = o; return o', 'the result cannot be turned into JSON: TypeError: circular reference'],
    ['return { n: 10n }', expect.stringMatching(/^the result cannot be turned into JSON: TypeError: /)],
  ])('fails with code_result_invalid when the result is not JSON: %s', async (code, message) => {
    expect((await failure({ code })).error).toMatchObject({
      name: 'NodeFailure',
      type: 'code_result_invalid',
      message,
    });
  });

  it('runs each execution in a fresh context: globals and prototype changes do not carry over', async () => {
    await run({
      code: 'globalThis.leak = 1; Object.prototype.polluted = "yes"; Array.prototype.push = null; return 1',
    });
    await expect(run({ code: 'return [typeof leak, ({}).polluted === undefined, typeof [].push]' })).resolves.toEqual({
      result: ['undefined', true, 'function'],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps the result exact even when the code replaces JSON and prototypes', async () => {
    const code =
      'JSON.stringify = () => "{}"; JSON.parse = null; Object.prototype.toJSON = undefined; return { ok: [1] }';
    await expect(run({ code })).resolves.toEqual({ result: { ok: [1] } });
  });
});

describe('CodeNode sandbox', () => {
  it.each([
    ['process', 'return typeof process'],
    ['require', 'return typeof require'],
    ['fetch', 'return typeof fetch'],
    ['XMLHttpRequest', 'return typeof XMLHttpRequest'],
    ['setTimeout', 'return typeof setTimeout'],
    ['console', 'return typeof console'],
    ['globalThis.process', 'return typeof globalThis.process'],
    ['the Function constructor', 'return this.constructor.constructor("return typeof process")()'],
    ['an arrow function constructor', 'return (() => {}).constructor("return typeof require")()'],
    ['std and os modules', 'return [typeof std, typeof os, typeof scriptArgs].join()'],
  ])('has no %s', async (_, code) => {
    const { result } = await run({ code });
    expect(
      String(result)
        .split(',')
        .every((kind) => kind === 'undefined'),
    ).toBe(true);
  });

  it('cannot import modules', async () => {
    const code = `
      let outcome = 'pending';
      import('fs').then(() => { outcome = 'loaded'; }, (e) => { outcome = String(e); });
      return outcome;
    `;
    await expect(run({ code })).resolves.toEqual({ result: 'pending' });
    expect((await failure({ code: 'import fs from "fs"; return 1' })).error).toMatchObject({ type: 'code_error' });
  });

  it('stops an endless loop at timeout_ms with code_timeout', async () => {
    const { error, ms } = await failure({ code: 'while (true) {}', timeout_ms: 200 });
    expect(error).toMatchObject({ type: 'code_timeout', message: 'the code ran longer than 200 ms (timeout_ms)' });
    expect(ms).toBeLessThan(200 + 500);
  });

  it('cannot catch the timeout', async () => {
    const code = 'for (;;) { try { while (true) {} } catch (e) {} }';
    const { error, ms } = await failure({ code, timeout_ms: 150 });
    expect(error).toMatchObject({ type: 'code_timeout' });
    expect(ms).toBeLessThan(150 + 500);
  });

  it('ends a built-in that never reaches the interrupt handler, by replacing its worker', async () => {
    const { error, ms } = await failure({
      code: 'const a = []; a.length = 2 ** 32 - 1; a.sort(); return 1',
      timeout_ms: 100,
    });
    expect(error).toMatchObject({ type: 'code_timeout' });
    expect(ms).toBeLessThan(100 + 800);
    await expect(run({ code: 'return "next job runs"' })).resolves.toEqual({ result: 'next job runs' });
  });

  it('fails a memory bomb with code_memory', async () => {
    const code = 'const parts = []; while (true) { parts.push("x".repeat(1e6) + parts.length); }';
    const { error, ms } = await failure({ code, memory_limit_mb: 16, timeout_ms: 5000 });
    expect(error).toMatchObject({
      type: 'code_memory',
      message: 'the code used more than 16 MiB of memory (memory_limit_mb)',
    });
    expect(ms).toBeLessThan(5000);
  });

  it('fails a huge string with code_memory', async () => {
    const { error } = await failure({ code: 'return "x".repeat(2 ** 29).length', memory_limit_mb: 64 });
    expect(error).toMatchObject({ type: 'code_memory' });
  });

  it('fails `arr.push(new Array(1e6))` forever within its limits', async () => {
    const code = 'const arr = []; while (true) { arr.push(new Array(1e6)); }';
    const { error, ms } = await failure({ code, timeout_ms: 300, memory_limit_mb: 32 });
    expect(['code_timeout', 'code_memory']).toContain((error as { type: string }).type);
    expect(ms).toBeLessThan(300 + 800);
  });

  it('fails deep recursion with a stack overflow, not a crash', async () => {
    const { error } = await failure({ code: 'function down(n) { return down(n + 1) + 1; }\nreturn down(0);' });
    expect(error).toMatchObject({
      type: 'code_error',
      message: expect.stringMatching(/^stack overflow: recursion too deep/),
    });
    await expect(
      run({ code: 'function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }\nreturn depth(1000);' }),
    ).resolves.toEqual({
      result: 1000,
    });
  });

  it('fails deeply nested data in JSON within its time, not a crash', async () => {
    const code = 'let o = {}; for (let i = 0; i < 100000; i++) o = { o }; return o;';
    const { error, ms } = await failure({ code, timeout_ms: 500 });
    expect(['code_result_invalid', 'code_timeout']).toContain((error as { type: string }).type);
    expect(ms).toBeLessThan(500 + 800);
    await expect(run({ code: 'return JSON.parse("[".repeat(100000) + "]".repeat(100000))' })).rejects.toMatchObject({
      type: 'code_error',
      message: expect.stringMatching(/stack overflow/),
    });
  });

  it('aborts a running execution when the signal aborts', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const running = run({ code: 'while (true) {}', timeout_ms: 30_000 }, {}, controller.signal);
    setTimeout(() => controller.abort(), 100);
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(100 + 500);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(run({ code: 'return 1' }, {}, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('runs many executions in parallel without leaking', async () => {
    const jobs = Array.from({ length: 300 }, (_, i) =>
      run({ code: 'const big = new Array(10000).fill(n); return big.length + n', inputs: ['n'] }, { n: i }),
    );
    const results = await Promise.all(jobs);
    expect(results.map((r) => r.result)).toEqual(Array.from({ length: 300 }, (_, i) => 10000 + i));
  });
});
