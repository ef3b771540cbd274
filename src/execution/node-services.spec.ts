import { afterAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../config/app-config.js';
import type { CodeJob } from './code-sandbox/sandbox-protocol.js';
import { fallbackSandbox, nodeServicesFromConfig, userCodeSandbox } from './node-services.js';

const services = nodeServicesFromConfig(loadConfig({ SANDBOX_WORKERS: '2', SANDBOX_WORKERS_PER_GROUP: '1' }));
afterAll(() => services.sandbox!.close());

const code = (source: string, timeoutMs = 1000): CodeJob => ({
  kind: 'code',
  code: source,
  inputNames: [],
  inputsJson: '[]',
  timeoutMs,
  memoryLimitBytes: 64 * 1024 * 1024,
});

describe('userCodeSandbox', () => {
  it("is the services' sandbox, or else the one fallback sandbox", () => {
    expect(userCodeSandbox(services)).toBe(services.sandbox);
    expect(userCodeSandbox(undefined)).toBe(fallbackSandbox());
    expect(userCodeSandbox({})).toBe(fallbackSandbox());
  });
});

describe('nodeServicesFromConfig', () => {
  it('builds a sandbox that holds a group to SANDBOX_WORKERS_PER_GROUP', async () => {
    const sandbox = userCodeSandbox(services);
    const signal = new AbortController().signal;
    const settled: string[] = [];
    const job = (name: string, group: string, codeJob: CodeJob) =>
      sandbox.run(codeJob, signal, group).then((outcome) => {
        settled.push(name);
        return outcome;
      });
    const [loop, queued, other] = await Promise.all([
      job('loop', 'a', code('while (true) {}', 500)),
      job('queued', 'a', code('return 1')),
      job('other', 'b', code('return 2')),
    ]);
    expect(loop).toMatchObject({ ok: false, type: 'code_timeout' });
    expect(queued).toEqual({ ok: true, resultJson: '1' });
    expect(other).toEqual({ ok: true, resultJson: '2' });
    // Group a's second job waited for the group's one worker (two were free).
    expect(settled.indexOf('queued')).toBeGreaterThan(settled.indexOf('loop'));
  });
});
