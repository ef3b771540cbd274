import { setMaxListeners } from 'node:events';

/**
 * Whether a run (or one walk of it) was aborted, with the AbortSignal made only when something asks
 * for it (a node's `ctx.signal`, a timeout, a retry's wait). An AbortController costs about 5 µs to
 * construct on Node 20, as much as walking a small node, and most runs never look at it.
 */
export class RunAbort {
  aborted = false;
  private controller: AbortController | undefined;
  private reason: unknown;
  private readonly callbacks: (() => void)[] = [];

  /** Aborted with the walk (at once, when it already is). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      // Every running node may listen on the run's signal; more than 10 is expected, not a leak.
      setMaxListeners(0, this.controller.signal);
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Aborts the walk; later calls change nothing, as with AbortController. */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    for (const callback of this.callbacks.splice(0)) callback();
  }

  /** Calls `callback` once aborted (at once, when it already is); the function returned forgets it. */
  onAbort(callback: () => void): () => void {
    if (this.aborted) callback();
    else this.callbacks.push(callback);
    return () => {
      const index = this.callbacks.indexOf(callback);
      if (index >= 0) this.callbacks.splice(index, 1);
    };
  }
}
