import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { EventStream, parseLastEventId } from './event-stream.js';
import { NotificationsService } from '../database/notifications.service.js';
import { RUN_EVENTS_CHANNEL } from '../database/channels.js';
import { ResumeLinks } from '../waits/resume-links.js';
import { RunEventsRepository, type RunSet, type SessionEventRow } from './run-events.repository.js';

/**
 * Runs of a workflow are not marked followed, so their events do not notify (see the migration
 * notify_followed_runs): a workflow's stream also reads on this interval.
 */
export const UNNOTIFIED_READ_MS = 1000;

/**
 * The events of a set of the group's runs as one Server-Sent Events stream, live from the moment
 * it opens (`Last-Event-ID`, 0 for everything, replays from the database first):
 * - `GET /v1/debugger/{session}/events`, runs started with `debugger: session`, whose node events
 *   carry the node's full inputs and outputs (run event streams cap them);
 * - `GET /v1/workflows/{workflow_id}/events`, every run of one workflow.
 */
@Injectable()
export class RunSetStream {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: RunEventsRepository,
    private readonly notifications: NotificationsService,
    private readonly resumeLinks: ResumeLinks,
  ) {}

  async stream(groupId: string, runs: RunSet, lastEventId: string | undefined, gone: AbortSignal, response: Response) {
    const debugging = 'debugger' in runs;
    const stream = new EventStream(
      {
        eventsAfter: async (afterId, limit) =>
          (await this.events.runSetEventsAfter(groupId, runs, afterId, limit)).map((row) => ({
            id: row.id,
            type: row.type,
            data: {
              run_id: row.run_id,
              ...this.resumeLinks.eventData(row.run_id, row.type, row.data),
              ...(debugging ? fullValues(row) : {}),
              timestamp: row.created_at.toISOString(),
            },
          })),
        // Any run's events wake the stream; the query only returns the set's.
        subscribe: (wake) =>
          debugging ? this.notifications.listen(RUN_EVENTS_CHANNEL, wake) : this.listenAndRead(wake),
      },
      response,
      parseLastEventId(lastEventId) ?? (await this.events.latestEventId()),
    );
    await stream.open(gone, this.config.sseHeartbeatMs);
  }

  private async listenAndRead(wake: () => void): Promise<() => void> {
    const unlisten = await this.notifications.listen(RUN_EVENTS_CHANNEL, wake);
    const timer = setInterval(wake, UNNOTIFIED_READ_MS);
    return () => {
      clearInterval(timer);
      unlisten();
    };
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
