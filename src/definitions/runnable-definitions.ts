import { Injectable, OnModuleInit } from '@nestjs/common';
import { NotificationsService } from '../database/notifications.service.js';
import type { Prisma } from '../generated/prisma/client.js';
import { definitionFromJson, type WorkflowDefinition } from '../execution/definition.js';
import { WorkflowsRepository } from './workflows.repository.js';
import { WORKFLOW_CHANGED_CHANNEL } from '../database/channels.js';

// A safety net only: changes reach every instance through NOTIFY within milliseconds.
const TTL_MS = 60_000;

export interface RunnableDefinition {
  definition: WorkflowDefinition;
  /** The same definition as stored: a new run's row copies it as it is. */
  json: Prisma.JsonValue;
  /** Null for the draft. */
  versionId: string | null;
}

interface Entry {
  groupId: string;
  workflowId: string;
  value: RunnableDefinition;
  cachedAt: number;
}

/**
 * The definitions runs execute (a workflow's draft, or one of its versions), cached so starting
 * a run costs no read. Saving or deleting a workflow notifies every instance, which drops its
 * entries; a lost listener connection clears everything.
 */
@Injectable()
export class RunnableDefinitions implements OnModuleInit {
  private readonly entries = new Map<string, Entry>();
  /** Bumped on every change notice, so a read that raced with a change is not cached. */
  private readonly generations = new Map<string, number>();
  /** Bumped on every reconnect of the listener, for the same reason. */
  private reconnects = 0;

  constructor(
    private readonly workflows: WorkflowsRepository,
    private readonly notifications: NotificationsService,
  ) {}

  async onModuleInit(): Promise<void> {
    this.notifications.onReconnect(() => {
      this.reconnects++;
      this.entries.clear();
    });
    await this.notifications.listen(WORKFLOW_CHANGED_CHANNEL, (workflowId) => this.evict(workflowId));
  }

  /** The version's definition, or the draft's when `versionId` is null or absent. */
  find(groupId: string, workflowId: string, versionId?: string | null): Promise<RunnableDefinition | null> {
    return versionId ? this.version(groupId, workflowId, versionId) : this.draft(groupId, workflowId);
  }

  draft(groupId: string, workflowId: string): Promise<RunnableDefinition | null> {
    return this.cached(`draft:${workflowId}`, groupId, workflowId, async () => {
      const workflow = await this.workflows.find(groupId, workflowId);
      return workflow && runnable(workflow.definition, null);
    });
  }

  version(groupId: string, workflowId: string, versionId: string): Promise<RunnableDefinition | null> {
    return this.cached(`version:${versionId}`, groupId, workflowId, async () => {
      const version = await this.workflows.findVersion(groupId, workflowId, versionId);
      return version && runnable(version.definition, version.id);
    });
  }

  /** Call after saving or deleting a workflow: every instance forgets its definitions. */
  async changed(workflowId: string): Promise<void> {
    this.evict(workflowId);
    await this.notifications.notify(WORKFLOW_CHANGED_CHANNEL, workflowId);
  }

  private async cached(
    cacheKey: string,
    groupId: string,
    workflowId: string,
    load: () => Promise<RunnableDefinition | null>,
  ): Promise<RunnableDefinition | null> {
    const entry = this.entries.get(cacheKey);
    if (entry && entry.groupId === groupId && entry.workflowId === workflowId && Date.now() - entry.cachedAt < TTL_MS) {
      return entry.value;
    }
    const generation = this.generations.get(workflowId) ?? 0;
    const reconnects = this.reconnects;
    const value = await load();
    if (value && (this.generations.get(workflowId) ?? 0) === generation && reconnects === this.reconnects) {
      this.entries.set(cacheKey, { groupId, workflowId, value, cachedAt: Date.now() });
    }
    return value;
  }

  private evict(workflowId: string): void {
    this.generations.set(workflowId, (this.generations.get(workflowId) ?? 0) + 1);
    for (const [key, entry] of this.entries) if (entry.workflowId === workflowId) this.entries.delete(key);
  }
}

function runnable(json: Prisma.JsonValue, versionId: string | null): RunnableDefinition {
  return { definition: definitionFromJson(json), json, versionId };
}
