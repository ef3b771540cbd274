import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL, type PgPool } from '../../database/database.tokens.js';
import { MetricsService } from '../../observability/metrics.service.js';
import { SYSTEM_ACTOR, type AuditActor } from '../../common/audit-events.js';
import { PURGE_AUDIT_EVENTS, PURGE_IDEMPOTENCY_KEYS, PURGE_RUNS } from './retention.sql.js';

export interface PurgedRows {
  runs: number;
  node_runs: number;
  run_events: number;
  callback_attempts: number;
}

const FAR_FUTURE = new Date('9999-12-31T00:00:00Z');

/** Deletes finished runs and everything recorded about them, and counts what went in /metrics. */
@Injectable()
export class RetentionRepository {
  constructor(
    @Inject(PG_POOL) private readonly pool: PgPool,
    private readonly metrics: MetricsService,
  ) {}

  /** One batch of runs finished before `before`, recorded as `retention.purged` by the system. */
  purgeFinishedBefore(before: Date, limit: number): Promise<PurgedRows> {
    return this.purge(null, null, before, limit, SYSTEM_ACTOR);
  }

  /** The run, if it is in the group and finished (recorded as `run.deleted` by `actor`); false otherwise. */
  async deleteFinishedRun(groupId: string, runId: string, actor: AuditActor): Promise<boolean> {
    return (await this.purge(runId, groupId, FAR_FUTURE, 1, actor)).runs === 1;
  }

  /** One batch of audit events created before `before`; how many went. */
  async purgeAuditEvents(before: Date, limit: number): Promise<number> {
    const { rows } = await this.pool.query<{ purged: number }>(PURGE_AUDIT_EVENTS, [before, limit]);
    this.metrics.rowsPurged('audit_events', rows[0].purged);
    return rows[0].purged;
  }

  async purgeIdempotencyKeys(createdBefore: Date, limit: number): Promise<number> {
    const freed = (await this.pool.query(PURGE_IDEMPOTENCY_KEYS, [createdBefore, limit])).rowCount ?? 0;
    this.metrics.rowsPurged('idempotency_keys', freed);
    return freed;
  }

  private async purge(
    runId: string | null,
    groupId: string | null,
    before: Date,
    limit: number,
    actor: AuditActor,
  ): Promise<PurgedRows> {
    const { rows } = await this.pool.query<PurgedRows>(PURGE_RUNS, [
      runId,
      groupId,
      before,
      limit,
      actor.kind,
      actor.keyId,
    ]);
    const purged = rows[0];
    for (const [table, count] of Object.entries(purged)) this.metrics.rowsPurged(table, count);
    return purged;
  }
}
