/**
 * Runs `work` again `everyMs` after each pass ends (never two passes at once), from `firstInMs`
 * after start, until stopped; a failing pass goes to `onError` and the next one comes as usual.
 */
export class RepeatingTask {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private pass: Promise<void> = Promise.resolve();

  constructor(
    private readonly work: () => Promise<void>,
    private readonly everyMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  start(firstInMs = this.everyMs): void {
    this.timer = setTimeout(() => {
      this.pass = this.work()
        .catch(this.onError)
        .finally(() => {
          if (!this.stopped) this.start();
        });
    }, firstInMs);
  }

  /** Resolves once a pass in progress has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass;
  }
}
