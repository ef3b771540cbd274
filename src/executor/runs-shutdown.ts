import { BeforeApplicationShutdown, Injectable, Optional } from '@nestjs/common';
import { ExecutionService } from './execution.service.js';
import { RunWorker } from './run-worker.js';

/** On SIGTERM, runs get this long to finish before being handed back to other instances. */
export const SHUTDOWN_GRACE_MS = 8_000;

/** Graceful shutdown: stop taking work, let short runs finish, hand the rest back, then exit. */
@Injectable()
export class RunsShutdown implements BeforeApplicationShutdown {
  constructor(
    private readonly executor: ExecutionService,
    @Optional() private readonly worker?: RunWorker,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    const workerStopped = this.worker?.stop();
    await this.executor.drain(SHUTDOWN_GRACE_MS);
    await workerStopped;
  }
}
