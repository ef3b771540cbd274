import type { AuditActor, AuditEntry } from '../common/audit-events.js';
import type { MarkedRun } from '../executor/run-trees.repository.js';
import { Injectable } from '@nestjs/common';
import { ValidationProblem } from '../common/problem.js';
import { LIVE_RUN_STATUSES } from '../common/run-status.js';
import { ExecutionService } from '../executor/execution.service.js';
import { toRunResponse } from './dto/run.dto.js';
import { RunSearchQuery, RunSearchResponse, StopRunsBody, toRunFilter } from './dto/run-search.dto.js';
import { decodeCursor, keysetPage, type RunPosition } from './run-cursor.js';
import { hasFilter, RunSearch } from './run-search.js';

/**
 * Runs a bulk stop asks to stop per transaction: each holds its trees' advisory locks, which
 * share PostgreSQL's lock table (max_locks_per_transaction × connections) with every session.
 */
const STOP_BATCH = 200;

/** The runs of a group across its workflows: found by filter a page at a time, or stopped by filter. */
@Injectable()
export class RunSearchService {
  constructor(
    private readonly search: RunSearch,
    private readonly executor: ExecutionService,
  ) {}

  /** A page of the group's matching runs, newest first, and the cursor of the next page if there is one. */
  async find(groupId: string, query: RunSearchQuery): Promise<RunSearchResponse> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const runs = await this.search.runs(groupId, toRunFilter(query), query.limit + 1, after);
    const page = keysetPage(runs, query.limit, (run) => run);
    return { items: page.items.map(toRunResponse), next_cursor: page.next_cursor };
  }

  /**
   * Asks every matching live run of the group that is not yet stopping, with its descendants, to
   * stop, a batch at a time, and answers how many it asked without waiting for them (each reaches
   * `stopped` within seconds, on whichever instance holds it). A repeated call finds none.
   */
  async stop(groupId: string, body: StopRunsBody, actor: AuditActor): Promise<number> {
    const filter = toRunFilter(body);
    if (!hasFilter(filter)) {
      throw new ValidationProblem(
        [{ field: 'body', message: 'must name at least one filter' }],
        'A bulk stop needs at least one filter; to stop every run, name the live statuses.',
      );
    }
    const statuses = LIVE_RUN_STATUSES.filter((status) => !filter.statuses || filter.statuses.includes(status));
    if (statuses.length === 0) return 0;
    let stopped = 0;
    for (let after: RunPosition | undefined; ;) {
      const batch = await this.search.positionsToStop(groupId, { ...filter, statuses }, STOP_BATCH, after);
      const ids = batch.map((run) => run.id);
      // One audit row per batch: each batch is its own transaction.
      const audit = (marked: MarkedRun[]): AuditEntry[] => [
        {
          actor,
          groupId,
          action: 'runs.bulk_stopped',
          targetType: 'runs',
          targetId: null,
          after: { filter: body, run_ids: marked.filter((run) => run.asked).map((run) => run.id) },
        },
      ];
      if (ids.length > 0) stopped += (await this.executor.stopTrees(groupId, ids, audit)).length;
      if (batch.length < STOP_BATCH) return stopped;
      after = batch.at(-1);
    }
  }
}
