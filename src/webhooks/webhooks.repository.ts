import { audited, recordAudit, type AuditEntry, type Db } from '../common/audit-events.js';
import { Inject, Injectable } from '@nestjs/common';
import type { Run, WebhookDelivery } from '../generated/prisma/client.js';
import { PG_POOL, type PgPool } from '../database/database.tokens.js';
import { PrismaService } from '../database/prisma.service.js';
import { rowToRun } from '../executor/index.js';
import type { AttemptOutcome } from './delivery-outcome.js';
import {
  CLEAR_PLANNED_ATTEMPTS,
  LOAD_CALLBACK,
  QUEUE_FIRST_ATTEMPT,
  RECORDED_DELIVERY_FIELDS,
  RECORD_ATTEMPT,
  REMOVE_CALLBACK_JOB,
  START_CALLBACK_CHAIN,
} from './webhooks.sql.js';
import { WEBHOOK_DELIVERY_COLUMNS } from './webhook-delivery-row.js';
import { encodeFields } from '../database/sql-columns.js';

/** A `deliver_callback` job: attempt `attempt` (1-based) of delivery chain `chain` for the run's callback. */
export interface CallbackJob {
  runId: string;
  chain: number;
  attempt: number;
}

export interface CallbackTarget {
  run: Run;
  messageId: string | null;
  currentChain: number | null;
  /** The group's secret, then the previous one while its rotation grace period lasts. */
  secrets: string[];
  /** This job's attempt is already recorded (the job ran before and is being repeated). */
  attempted: boolean;
}

export interface AttemptRecord {
  job: CallbackJob;
  messageId: string;
  url: string;
  eventType: string;
  outcome: AttemptOutcome;
  attemptedAt: Date;
  durationMs: number;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}

export interface RunCallbackState {
  status: Run['status'];
  callbackUrl: string | null;
}

/** LOAD_CALLBACK's row: the run's columns, and these. */
type CallbackTargetRow = Record<string, unknown> & {
  message_id: string | null;
  current_chain: number | null;
  webhook_secret: string;
  previous_webhook_secret: string | null;
  attempted: boolean;
};

/** Callback messages, delivery attempts, and the groups' signing secrets. */
@Injectable()
export class WebhooksRepository {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(PG_POOL) private readonly pool: PgPool,
  ) {}

  async target(job: CallbackJob): Promise<CallbackTarget | null> {
    const { rows } = await this.pool.query<CallbackTargetRow>(LOAD_CALLBACK, [job.runId, job.chain, job.attempt]);
    const row = rows[0];
    if (!row) return null;
    return {
      run: rowToRun(row),
      messageId: row.message_id,
      currentChain: row.current_chain,
      secrets: [row.webhook_secret, row.previous_webhook_secret].filter((secret): secret is string => !!secret),
      attempted: row.attempted,
    };
  }

  /** Records the attempt and queues the next one (when `nextAttemptAt`); false when it was already recorded. */
  async record(attempt: AttemptRecord): Promise<{ recorded: boolean; scheduled: boolean }> {
    const { job, outcome } = attempt;
    const delivery: Omit<WebhookDelivery, 'id'> = {
      runId: job.runId,
      messageId: attempt.messageId,
      url: attempt.url,
      eventType: attempt.eventType,
      chain: job.chain,
      attempt: job.attempt,
      statusCode: outcome.statusCode,
      errorClass: outcome.errorClass,
      error: outcome.error,
      durationMs: attempt.durationMs,
      responseBody: outcome.responseBody,
      nextAttemptAt: attempt.nextAttemptAt,
      deliveredAt: attempt.deliveredAt,
      createdAt: attempt.attemptedAt,
    };
    const { rows } = await this.pool.query<{ recorded: number; scheduled: number }>(
      RECORD_ATTEMPT,
      encodeFields(WEBHOOK_DELIVERY_COLUMNS, RECORDED_DELIVERY_FIELDS, delivery),
    );
    return { recorded: rows[0].recorded === 1, scheduled: rows[0].scheduled === 1 };
  }

  runState(groupId: string, runId: string): Promise<RunCallbackState | null> {
    return this.prisma.run.findFirst({ where: { id: runId, groupId }, select: { status: true, callbackUrl: true } });
  }

  attempts(groupId: string, runId: string): Promise<WebhookDelivery[]> {
    return this.prisma.webhookDelivery.findMany({
      where: { runId, run: { groupId } },
      orderBy: [{ chain: 'asc' }, { attempt: 'asc' }],
    });
  }

  /**
   * Starts a new delivery chain for the run's callback (same message id): the previous chain's
   * pending attempt is removed from the queue and its planned next attempt cleared, and the new
   * chain's first attempt is queued, in one transaction.
   */
  redeliver(
    groupId: string,
    runId: string,
    audit: (chain: number) => AuditEntry[],
  ): Promise<{ messageId: string; chain: number } | null> {
    return this.prisma.$transaction(async (tx) => {
      const [message] = await tx.$queryRawUnsafe<{ message_id: string; chain: number }[]>(
        START_CALLBACK_CHAIN,
        runId,
        groupId,
      );
      if (!message) return null;
      const { chain } = message;
      await tx.$executeRawUnsafe(CLEAR_PLANNED_ATTEMPTS, runId, chain);
      if (chain > 1) await tx.$executeRawUnsafe(REMOVE_CALLBACK_JOB, `callback:${runId}:${chain - 1}`);
      await tx.$executeRawUnsafe(QUEUE_FIRST_ATTEMPT, runId, chain, `callback:${runId}:${chain}`);
      await recordAudit(tx, audit(chain));
      return { messageId: message.message_id, chain };
    });
  }

  /**
   * New secret in place; the old one stays valid (and signs too) for `graceMs`. Null if there is no
   * such group. `audit` is recorded in the same transaction.
   */
  async rotateSecret(
    groupId: string,
    secret: string,
    graceMs: number,
    audit: (expiresAt: Date) => AuditEntry[],
  ): Promise<{ id: string; webhook_secret: string; previous_secret_expires_at: Date } | null> {
    const rows = await audited(
      this.prisma,
      (tx) => this.rotate(tx, groupId, secret, graceMs),
      ([row]) => (row ? audit(row.previous_secret_expires_at) : []),
    );
    return rows[0] ?? null;
  }

  private rotate(tx: Db, groupId: string, secret: string, graceMs: number) {
    return tx.$queryRaw<{ id: string; webhook_secret: string; previous_secret_expires_at: Date }[]>`
      UPDATE groups SET previous_webhook_secret = webhook_secret, webhook_secret = ${secret},
        previous_secret_expires_at = now() + ${graceMs}::int * interval '1 millisecond'
      WHERE id = ${groupId}::uuid
      RETURNING id, webhook_secret, previous_secret_expires_at`;
  }
}
