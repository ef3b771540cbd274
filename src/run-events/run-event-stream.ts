import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { EventStream, parseLastEventId } from './event-stream.js';
import { NotificationsService } from '../database/notifications.service.js';
import { RUN_EVENTS_CHANNEL } from '../database/channels.js';
import { RunEventsRepository } from './run-events.repository.js';
import { ResumeLinks } from '../waits/resume-links.js';

const TERMINAL_EVENTS = new Set(['run.completed', 'run.failed', 'run.stopped']);

/**
 * A run's events as Server-Sent Events: replayed from the database after `Last-Event-ID`, then
 * tailed live. Events are written by whichever instance executes the run; a NOTIFY from the
 * database (a trigger on run_events, for runs marked followed) wakes every stream, so this works
 * across instances.
 */
@Injectable()
export class RunEventStream {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: RunEventsRepository,
    private readonly notifications: NotificationsService,
    private readonly resumeLinks: ResumeLinks,
  ) {}

  async stream(groupId: string, runId: string, lastEventId: string | undefined, gone: AbortSignal, response: Response) {
    const resumeAfter = parseLastEventId(lastEventId);
    if (resumeAfter !== undefined && (await this.hasEnded(groupId, runId, resumeAfter))) {
      // The SSE standard's "stop reconnecting": a 200 with no events would make EventSource retry forever.
      response.status(204).end();
      return;
    }
    // Before the stream subscribes and reads: from here on, every event of the run notifies.
    await this.events.follow(groupId, runId);
    const stream = new EventStream(
      {
        eventsAfter: async (afterId, limit) =>
          (await this.events.eventsAfter(runId, afterId, limit)).map((event) => ({
            id: event.id,
            type: event.type,
            data: {
              run_id: runId,
              ...this.resumeLinks.eventData(runId, event.type, event.data as Record<string, unknown>),
              timestamp: event.createdAt.toISOString(),
            },
          })),
        subscribe: (wake) => this.notifications.listen(RUN_EVENTS_CHANNEL, (id) => id === runId && wake()),
        isLast: (event) => TERMINAL_EVENTS.has(event.type),
      },
      response,
      resumeAfter ?? 0n,
    );
    await stream.open(gone, this.config.sseHeartbeatMs);
    // Resumed after the final event, nothing more will come; a run finishing just now is caught up.
    if (!stream.isClosed && (await this.events.isFinished(groupId, runId))) {
      await stream.catchUp();
      stream.close();
    }
  }

  /** The run is over and the client has every event (its final one is stored with the final status). */
  private async hasEnded(groupId: string, runId: string, afterId: bigint): Promise<boolean> {
    return (
      (await this.events.isFinished(groupId, runId)) === true &&
      (await this.events.eventsAfter(runId, afterId, 1)).length === 0
    );
  }
}
