import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { EventStream, parseLastEventId } from './event-stream.js';
import { NotificationsService } from '../database/notifications.service.js';
import { RUN_EVENTS_CHANNEL } from '../database/channels.js';
import { ResumeLinks } from '../waits/resume-links.js';
import { RunEventsRepository, type SessionEventRow } from './run-events.repository.js';

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
    private readonly events: RunEventsRepository,
    private readonly notifications: NotificationsService,
    private readonly resumeLinks: ResumeLinks,
  ) {}

  async stream(
    groupId: string,
    session: string,
    lastEventId: string | undefined,
    gone: AbortSignal,
    response: Response,
  ) {
    const stream = new EventStream(
      {
        eventsAfter: async (afterId, limit) =>
          (await this.events.sessionEventsAfter(groupId, session, afterId, limit)).map((row) => ({
            id: row.id,
            type: row.type,
            data: {
              run_id: row.run_id,
              ...this.resumeLinks.eventData(row.run_id, row.type, row.data),
              ...fullValues(row),
              timestamp: row.created_at.toISOString(),
            },
          })),
        // Any run's events wake the stream; the query only returns this session's.
        subscribe: (wake) => this.notifications.listen(RUN_EVENTS_CHANNEL, wake),
      },
      response,
      parseLastEventId(lastEventId) ?? (await this.events.latestEventId()),
    );
    await stream.open(gone, this.config.sseHeartbeatMs);
  }
}

/** A node event's full values, from its node run (node.started carries inputs only). */
function fullValues(row: SessionEventRow): Record<string, unknown> {
  const inputs = row.inputs === null ? {} : { inputs: row.inputs };
  if (row.type === 'node.started') return inputs;
  if (row.type === 'node.completed' || row.type === 'node.failed') {
    return { ...inputs, ...(row.outputs === null ? {} : { outputs: row.outputs }) };
  }
  return {};
}
