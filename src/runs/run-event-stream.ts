import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { NotificationsService } from '../database/notifications.service.js';
import { isFinished, RUN_EVENTS_CHANNEL } from './run-watcher.js';
import { RunEventRow, RunsRepository } from './runs.repository.js';

const TERMINAL_EVENTS = new Set(['run.completed', 'run.failed', 'run.stopped']);
const BATCH = 500;

/**
 * A run's events as Server-Sent Events: replayed from the database after `Last-Event-ID`, then
 * tailed live. Events are written by whichever instance executes the run; a NOTIFY from the
 * database (a trigger on run_events) wakes every stream, so this works across instances.
 */
@Injectable()
export class RunEventStream {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runs: RunsRepository,
    private readonly notifications: NotificationsService,
  ) {}

  async stream(groupId: string, runId: string, lastEventId: string | undefined, request: Request, response: Response) {
    let last = parseEventId(lastEventId);
    let closed = false;
    let pumping: Promise<void> | undefined;
    let pumpAgain = false;

    const send = (event: RunEventRow) => {
      const data = { run_id: runId, ...(event.data as object), timestamp: event.createdAt.toISOString() };
      response.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`);
      last = event.id;
      if (TERMINAL_EVENTS.has(event.type)) close();
    };
    const pump = async (): Promise<void> => {
      do {
        pumpAgain = false;
        let rows: RunEventRow[];
        do {
          rows = await this.runs.eventsAfter(runId, last, BATCH);
          for (const row of rows) if (!closed) send(row);
        } while (!closed && rows.length === BATCH);
      } while (!closed && pumpAgain);
    };
    const wake = () => {
      if (closed) return;
      if (pumping) {
        pumpAgain = true;
        return;
      }
      pumping = pump()
        .catch(() => close())
        .finally(() => (pumping = undefined));
    };
    const unsubscribe = await this.notifications.listen(RUN_EVENTS_CHANNEL, (id) => id === runId && wake());
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
    await pumping;
    // Resuming after the terminal event: nothing more will come.
    const run = await this.runs.find(groupId, runId);
    if (!closed && run && isFinished(run)) {
      wake();
      await pumping;
      close();
    }
  }
}

function parseEventId(header: string | undefined): bigint {
  return header && /^\d{1,19}$/.test(header.trim()) ? BigInt(header.trim()) : 0n;
}
