import { Injectable, Logger } from '@nestjs/common';
import type { Run } from '../generated/prisma/client.js';
import { DatabaseAvailability } from '../database/database-availability.js';
import type { RunResult } from '../execution/engine/index.js';
import { MetricsService } from '../observability/metrics.service.js';
import { runEvent } from './run-records.js';
import type { RunRecorder } from './run-recorder.js';
import { RunStops } from './run-stops.js';
import { RunsRepository } from './runs.repository.js';

/**
 * Parks runs whose nodes asked to wait (durable waits) and wakes them when their wait is over
 * already. A parked run is stored `waiting` without a lease; a queued job wakes it at its nodes'
 * earliest `waiting_until`, and a signal wakes it when it arrives (SignalsService).
 */
@Injectable()
export class RunParking {
  private readonly logger = new Logger(RunParking.name);

  constructor(
    private readonly runs: RunsRepository,
    private readonly stops: RunStops,
    private readonly metrics: MetricsService,
    private readonly availability: DatabaseAvailability,
  ) {}

  /**
   * Parks the run through its recorder (everything buffered is written with it). Returns the run as
   * stored: stopped, when a stop came while it was parking (nobody would claim it then).
   */
  async park(run: Run, recorder: RunRecorder, result: RunResult): Promise<Run> {
    const waits = [...result.waiting].map(([nodeId, wait]) => ({
      node_id: nodeId,
      waiting_until: wait.until?.toISOString() ?? null,
      signal: wait.signal ?? null,
    }));
    const times = [...result.waiting.values()].flatMap((wait) => (wait.until ? [wait.until.getTime()] : []));
    const wakeAt = times.length > 0 ? new Date(Math.min(...times)) : null;
    const stopRequested = await recorder.park(wakeAt, runEvent('run.waiting', { status: 'waiting', waits }));
    this.metrics.runParked(run.mode);
    const parked: Run = { ...run, status: 'waiting', progress: result.progress, parks: run.parks + 1 };
    if (!stopRequested) return { ...parked, leaseOwner: null, leaseExpiresAt: null };
    return (await this.stops.stopTree(run.groupId, run.id)).stoppedHere ?? parked;
  }

  /**
   * Called once the instance that parked the run has let go of it: wakes it if its wait is over
   * already (a signal sent before it parked, or a time that came while it was parking, whose
   * wake-up the instance dropped as the run was still its own). A failure leaves the run parked
   * until its next wake-up.
   */
  async wakeIfDue(run: Run): Promise<void> {
    await this.runs.wakeIfDue(run.id).catch((error: unknown) => {
      if (!this.availability.failed('waking a parked run', error)) {
        this.logger.warn({ err: error, runId: run.id }, 'waking a parked run whose wait is over failed');
      }
    });
  }
}
