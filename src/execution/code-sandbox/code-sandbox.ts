/**
 * Runs user code — CodeNode code, JSONata expressions, large template fills — on a pool of worker
 * threads (`sandbox-worker.ts`). Off the main thread, a busy job never blocks the event loop
 * (HTTP, lease renewals, other runs). CodeNode limits are enforced inside the worker; as the hard
 * limit for everything else (a catastrophic regex cannot be interrupted from inside) and a backstop
 * for built-ins that run long without reaching QuickJS's interrupt handler, a worker that has not
 * answered by timeout + GRACE_MS, or GRACE_MS after an abort, is terminated and replaced.
 *
 * Fair sharing: each job belongs to a group, and a group holds at most `perGroup` workers at once;
 * a freed worker goes to the waiting job whose group holds the fewest. So one group's looping code
 * can delay its own jobs, never take every worker from the others.
 */
import { Worker } from 'node:worker_threads';
import { WORKER_READY, type SandboxJob, type SandboxOutcome } from './sandbox-protocol.js';

const GRACE_MS = 250;
/** An idle worker beyond the spares is ended after this long. */
const IDLE_MS = 60_000;
/**
 * Idle workers kept started ahead of need: a worker takes tens of milliseconds to start (far more
 * while other workers burn the CPU), which a group's first job should not wait for.
 */
const SPARE_WORKERS = 2;
/** Native stack of a worker: far above what QuickJS's own limit (MAX_STACK_BYTES) lets code use. */
const WORKER_STACK_MB = 16;
/** A worker's JavaScript heap (JSONata, templates); CodeNode memory is WebAssembly memory, limited per job. */
const WORKER_HEAP_MB = 512;

export interface SandboxLimits {
  /** Worker threads at most. */
  maxWorkers: number;
  /** Workers one group may hold at once. */
  perGroup: number;
}

interface PooledWorker {
  worker: Worker;
  abortFlag: Int32Array;
  idleTimer?: NodeJS.Timeout;
}

interface Waiter {
  group: string;
  resolve(worker: PooledWorker): void;
  reject(error: unknown): void;
}

export class CodeSandbox {
  private readonly workers = new Set<PooledWorker>();
  private readonly idle: PooledWorker[] = [];
  private readonly waiting: Waiter[] = [];
  /** Workers held (or being started) per group. */
  private readonly held = new Map<string, number>();
  private readonly limits: SandboxLimits;
  private starting = 0;
  private closed = false;

  constructor({ maxWorkers, perGroup }: SandboxLimits) {
    this.limits = { maxWorkers, perGroup: Math.min(perGroup, maxWorkers) };
  }

  /** Starts the spare workers ahead of the first job, so the first expression of a run pays no start-up. */
  warm(): void {
    this.replenish();
  }

  /** Runs the job for `group`; rejects with `signal.reason` when the signal aborts first. */
  async run(job: SandboxJob, signal: AbortSignal, group = ''): Promise<SandboxOutcome> {
    signal.throwIfAborted();
    const pooled = await this.acquire(signal, group);
    if (signal.aborted) {
      this.giveBack(pooled, group, true);
      signal.throwIfAborted();
    }
    return this.dispatch(pooled, job, signal, group);
  }

  /**
   * Ends every worker; jobs still running fail. No spares are started after. Idle workers are
   * unref'd and never keep a process alive, but each pool's spares live until closed: whoever
   * made a pool closes it when done with it (the server at shutdown, a test file after its tests).
   */
  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.workers];
    this.workers.clear();
    this.idle.length = 0;
    await Promise.all(workers.map((pooled) => this.terminate(pooled)));
  }

  private acquire(signal: AbortSignal, group: string): Promise<PooledWorker> {
    return new Promise<PooledWorker>((resolve, reject) => {
      const onAbort = () => {
        removeFrom(this.waiting, waiter);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        group,
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
      this.pump();
    });
  }

  /** Hands idle or new workers to waiting jobs, fairly, while the limits allow. */
  private pump(): void {
    for (let waiter = this.nextWaiter(); waiter; waiter = this.nextWaiter()) {
      const idle = this.idle.pop();
      if (!idle && this.workers.size >= this.limits.maxWorkers) return;
      removeFrom(this.waiting, waiter);
      this.held.set(waiter.group, this.heldBy(waiter.group) + 1);
      if (idle) {
        clearTimeout(idle.idleTimer);
        waiter.resolve(idle);
        continue;
      }
      const { group } = waiter;
      this.start().then(waiter.resolve, (error: unknown) => {
        this.unhold(group);
        waiter.reject(error);
      });
    }
    this.replenish();
  }

  private replenish(): void {
    while (
      !this.closed &&
      this.idle.length + this.starting < SPARE_WORKERS &&
      this.workers.size < this.limits.maxWorkers
    ) {
      this.starting++;
      this.start().then(
        (pooled) => {
          this.starting--;
          this.park(pooled);
        },
        () => this.starting--,
      );
    }
  }

  /** The earliest waiting job of the group holding the fewest workers, among groups under their share. */
  private nextWaiter(): Waiter | undefined {
    let best: Waiter | undefined;
    for (const waiter of this.waiting) {
      const held = this.heldBy(waiter.group);
      if (held >= this.limits.perGroup) continue;
      if (!best || held < this.heldBy(best.group)) best = waiter;
    }
    return best;
  }

  private heldBy(group: string): number {
    return this.held.get(group) ?? 0;
  }

  private unhold(group: string): void {
    const held = this.heldBy(group) - 1;
    if (held > 0) this.held.set(group, held);
    else this.held.delete(group);
  }

  private async start(): Promise<PooledWorker> {
    const abortFlag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(workerScript(), {
      workerData: { abortFlag: abortFlag.buffer },
      resourceLimits: { stackSizeMb: WORKER_STACK_MB, maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    const pooled: PooledWorker = { worker, abortFlag };
    this.workers.add(pooled);
    // A worker that fails or exits is never used again (this also covers idle workers).
    worker.on('error', () => void this.discard(pooled));
    worker.on('exit', () => void this.discard(pooled));
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

  private dispatch(pooled: PooledWorker, job: SandboxJob, signal: AbortSignal, group: string): Promise<SandboxOutcome> {
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
        this.giveBack(pooled, group, keepWorker);
        answer();
      };
      const onMessage = (outcome: SandboxOutcome) =>
        settle(true, () => (!outcome.ok && outcome.type === 'aborted' ? reject(signal.reason) : resolve(outcome)));
      const onError = (error: Error & { code?: string }) =>
        settle(false, () => (error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? resolve(outOfMemory(job)) : reject(error)));
      const onExit = () => settle(false, () => reject(new Error('the code sandbox stopped unexpectedly')));
      const onAbort = () => {
        Atomics.store(abortFlag, 0, 1);
        killTimer = setTimeout(() => settle(false, () => reject(signal.reason)), GRACE_MS);
      };
      const watchdog = setTimeout(() => settle(false, () => resolve(timedOut(job))), job.timeoutMs + GRACE_MS);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      signal.addEventListener('abort', onAbort, { once: true });
      Atomics.store(abortFlag, 0, 0);
      worker.ref();
      worker.postMessage(job);
    });
  }

  /** A job is done with its worker: kept for the next job, or ended (timed out, failed, aborted). */
  private giveBack(pooled: PooledWorker, group: string, keepWorker: boolean): void {
    this.unhold(group);
    if (!keepWorker || !this.workers.has(pooled)) {
      void this.discard(pooled);
      return;
    }
    this.park(pooled);
  }

  private park(pooled: PooledWorker): void {
    // An idle worker must not keep the process alive; the spares stay warm.
    pooled.worker.unref();
    pooled.idleTimer = setTimeout(() => {
      if (this.idle.length > SPARE_WORKERS) void this.discard(pooled);
    }, IDLE_MS).unref();
    this.idle.push(pooled);
    this.pump();
  }

  private async discard(pooled: PooledWorker): Promise<void> {
    removeFrom(this.idle, pooled);
    if (!this.workers.delete(pooled)) return;
    this.pump();
    await this.terminate(pooled);
  }

  private async terminate(pooled: PooledWorker): Promise<void> {
    clearTimeout(pooled.idleTimer);
    await pooled.worker.terminate().catch(() => undefined);
  }
}

function timedOut(job: SandboxJob): SandboxOutcome {
  if (job.kind === 'code') {
    return { ok: false, type: 'code_timeout', message: `the code ran longer than ${job.timeoutMs} ms (timeout_ms)` };
  }
  const what = job.kind === 'jsonata' ? 'the expression ran' : 'filling the template took';
  return { ok: false, type: 'expression_timeout', message: `${what} longer than ${job.timeoutMs} ms` };
}

function outOfMemory(job: SandboxJob): SandboxOutcome {
  if (job.kind === 'code') {
    return { ok: false, type: 'code_memory', message: 'the code used more memory than the sandbox allows' };
  }
  return { ok: false, type: 'expression_error', message: 'the expression used more memory than the sandbox allows' };
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
