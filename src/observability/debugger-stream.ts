import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { NotificationsService } from '../database/notifications.service.js';
import { PrismaService } from '../database/prisma.service.js';

const RUN_EVENTS_CHANNEL = 'runloom_run_events';
const BATCH = 500;

interface SessionEvent {
  id: bigint;
  run_id: string;
  type: string;
  data: Record<string, unknown>;
  created_at: Date;
  inputs: unknown;
  outputs: unknown;
}

/**
 * `GET /v1/debugger/{session}/events`: the events of every run started with `debugger: session`
 * in the caller's group, as one Server-Sent Events stream, with node events carrying the node's
 * full inputs and outputs (run event streams cap them). It follows live from the moment it opens;
 * `Last-Event-ID` (0 for everything) replays from the database first.
 */
@Injectable()
export class DebuggerStream {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly notifications: NotificationsService,
  ) {}

  async stream(
    groupId: string,
    session: string,
    lastEventId: string | undefined,
    request: Request,
    response: Response,
  ) {
    let last = /^\d{1,19}$/.test(lastEventId?.trim() ?? '') ? BigInt(lastEventId!.trim()) : await this.latestEventId();
    let closed = false;
    let pumping: Promise<void> | undefined;
    let again = false;
    const pump = async () => {
      do {
        again = false;
        let rows: SessionEvent[];
        do {
          rows = await this.eventsAfter(groupId, session, last);
          for (const row of rows) {
            if (closed) return;
            const data = { run_id: row.run_id, ...row.data, ...full(row), timestamp: row.created_at.toISOString() };
            response.write(`id: ${row.id}\nevent: ${row.type}\ndata: ${JSON.stringify(data)}\n\n`);
            last = row.id;
          }
        } while (!closed && rows.length === BATCH);
      } while (!closed && again);
    };
    const wake = () => {
      if (closed) return;
      if (pumping) {
        again = true;
        return;
      }
      pumping = pump()
        .catch(() => close())
        .finally(() => (pumping = undefined));
    };
    // Any run's events wake the stream; the query below only returns this session's.
    const unsubscribe = await this.notifications.listen(RUN_EVENTS_CHANNEL, wake);
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), this.config.sseHeartbeatMs);
    function close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      response.end();
    }
    request.on('close', close);
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();
    wake();
  }

  private async latestEventId(): Promise<bigint> {
    const rows = await this.prisma.$queryRaw<{ id: bigint | null }[]>`SELECT max(id) AS id FROM run_events`;
    return rows[0].id ?? 0n;
  }

  private eventsAfter(groupId: string, session: string, after: bigint): Promise<SessionEvent[]> {
    return this.prisma.$queryRaw<SessionEvent[]>`
      SELECT e.id, e.run_id, e.type, e.data, e.created_at, n.inputs, n.outputs
      FROM run_events e
      JOIN runs r ON r.id = e.run_id
      LEFT JOIN node_runs n ON n.run_id = e.run_id AND n.node_id = e.data->>'node_id'
        AND e.type IN ('node.started', 'node.completed', 'node.failed')
      WHERE r.group_id = ${groupId}::uuid AND r.debugger = ${session} AND e.id > ${after}
      ORDER BY e.id
      LIMIT ${BATCH}`;
  }
}

/** A node event's full values, from its node run (node.started carries inputs only). */
function full(row: SessionEvent): Record<string, unknown> {
  if (row.type === 'node.started') return row.inputs === null ? {} : { inputs: row.inputs };
  if (row.type === 'node.completed' || row.type === 'node.failed') {
    return {
      ...(row.inputs === null ? {} : { inputs: row.inputs }),
      ...(row.outputs === null ? {} : { outputs: row.outputs }),
    };
  }
  return {};
}
