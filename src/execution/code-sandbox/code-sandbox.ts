/**
 * Runs CodeNode jobs on a small pool of worker threads (`sandbox-worker.ts`). Off the main
 * thread, a busy job never blocks the event loop (HTTP, lease renewals, other runs). Limits are
 * enforced inside the worker; as a backstop for built-ins that run long without reaching QuickJS's
 * interrupt handler (e.g. sorting a huge sparse array), a worker that has not answered by
 * timeout + GRACE_MS, or GRACE_MS after an abort, is terminated and replaced.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { WORKER_READY, type SandboxJob, type SandboxOutcome } from './sandbox-protocol.js';

const GRACE_MS = 250;
/** An idle worker is ended after this long; the next job starts a new one (about 50 ms). */
const IDLE_MS = 60_000;
/** Native stack of a worker: far above what QuickJS's own limit (MAX_STACK_BYTES) lets code use. */
const WORKER_STACK_MB = 16;

interface PooledWorker {
  worker: Worker;
  abortFlag: Int32Array;
  idleTimer?: NodeJS.Timeout;
}

interface Waiter {
  resolve(worker: PooledWorker): void;
  reject(error: unknown): void;
}

export class CodeSandbox {
  private readonly workers = new Set<PooledWorker>();
  private readonly idle: PooledWorker[] = [];
  private readonly waiting: Waiter[] = [];

  constructor(readonly maxWorkers = Math.min(4, Math.max(2, availableParallelism()))) {}

  /** Runs the job; rejects with `signal.reason` when the signal aborts first. */
  async run(job: SandboxJob, signal: AbortSignal): Promise<SandboxOutcome> {
    signal.throwIfAborted();
    const pooled = await this.acquire(signal);
    if (signal.aborted) {
      this.release(pooled);
      signal.throwIfAborted();
    }
    return this.dispatch(pooled, job, signal);
  }

  /** Ends every worker (for tests and shutdown); jobs still running fail. */
  async close(): Promise<void> {
    const workers = [...this.workers];
    this.workers.clear();
    this.idle.length = 0;
    await Promise.all(workers.map((pooled) => this.terminate(pooled)));
  }

  private async acquire(signal: AbortSignal): Promise<PooledWorker> {
    const idle = this.idle.pop();
    if (idle) {
      clearTimeout(idle.idleTimer);
      return idle;
    }
    if (this.workers.size < this.maxWorkers) return this.start();
    return new Promise<PooledWorker>((resolve, reject) => {
      const onAbort = () => {
        removeFrom(this.waiting, waiter);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        resolve: (pooled) => {
          signal.removeEventListener('abort', onAbort);
          resolve(pooled);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private async start(): Promise<PooledWorker> {
    const abortFlag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(workerScript(), {
      workerData: { abortFlag: abortFlag.buffer },
      resourceLimits: { stackSizeMb: WORKER_STACK_MB },
    });
    const pooled: PooledWorker = { worker, abortFlag };
    this.workers.add(pooled);
    // A worker that fails or exits is never used again (this also covers idle workers).
    worker.on('error', () => void this.discard(pooled));
    worker.on('exit', () => {
      removeFrom(this.idle, pooled);
      void this.discard(pooled);
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => reject(new Error(`the code sandbox did not start: ${error.message}`));
        worker.once('error', onError);
        worker.once('message', (message) => {
          worker.off('error', onError);
          if (message === WORKER_READY) resolve();
          else reject(new Error('the code sandbox did not start'));
        });
      });
    } catch (error) {
      void this.discard(pooled);
      throw error;
    }
    return pooled;
  }

  private dispatch(pooled: PooledWorker, job: SandboxJob, signal: AbortSignal): Promise<SandboxOutcome> {
    const { worker, abortFlag } = pooled;
    return new Promise<SandboxOutcome>((resolve, reject) => {
      let killTimer: NodeJS.Timeout | undefined;
      const settle = (keepWorker: boolean, answer: () => void) => {
        clearTimeout(watchdog);
        clearTimeout(killTimer);
        signal.removeEventListener('abort', onAbort);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (keepWorker) this.release(pooled);
        else void this.discard(pooled);
        answer();
      };
      const onMessage = (outcome: SandboxOutcome) =>
        settle(true, () => (!outcome.ok && outcome.type === 'aborted' ? reject(signal.reason) : resolve(outcome)));
      const onError = (error: Error & { code?: string }) =>
        settle(false, () =>
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? resolve({ ok: false, type: 'code_memory', message: 'the code used more memory than the sandbox allows' })
            : reject(error),
        );
      const onExit = () => settle(false, () => reject(new Error('the code sandbox stopped unexpectedly')));
      const onAbort = () => {
        Atomics.store(abortFlag, 0, 1);
        killTimer = setTimeout(() => settle(false, () => reject(signal.reason)), GRACE_MS);
      };
      const timeout: SandboxOutcome = {
        ok: false,
        type: 'code_timeout',
        message: `the code ran longer than ${job.timeoutMs} ms (timeout_ms)`,
      };
      const watchdog = setTimeout(() => settle(false, () => resolve(timeout)), job.timeoutMs + GRACE_MS);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      signal.addEventListener('abort', onAbort, { once: true });
      Atomics.store(abortFlag, 0, 0);
      worker.ref();
      worker.postMessage(job);
    });
  }

  private release(pooled: PooledWorker): void {
    if (!this.workers.has(pooled)) return;
    const waiter = this.waiting.shift();
    if (waiter) return waiter.resolve(pooled);
    // An idle worker must not keep the process alive.
    pooled.worker.unref();
    pooled.idleTimer = setTimeout(() => {
      removeFrom(this.idle, pooled);
      void this.discard(pooled);
    }, IDLE_MS).unref();
    this.idle.push(pooled);
  }

  private async discard(pooled: PooledWorker): Promise<void> {
    if (!this.workers.delete(pooled)) return;
    const waiter = this.waiting.shift();
    if (waiter) this.start().then(waiter.resolve, waiter.reject);
    await this.terminate(pooled);
  }

  private async terminate(pooled: PooledWorker): Promise<void> {
    clearTimeout(pooled.idleTimer);
    await pooled.worker.terminate().catch(() => undefined);
  }
}

function removeFrom<T>(list: T[], item: T): void {
  const index = list.indexOf(item);
  if (index >= 0) list.splice(index, 1);
}

/**
 * The worker's entry: the compiled sibling file in a build; when running from TypeScript sources
 * (tests, tsx), a bootstrap that loads the `.ts` file through tsx, a development dependency.
 */
function workerScript(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./sandbox-worker.js', import.meta.url);
  const source = new URL('./sandbox-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}

/** The process-wide pool every CodeNode uses. */
export const codeSandbox = new CodeSandbox();
