import { Inject, Injectable } from '@nestjs/common';
import type { Group } from '../generated/prisma/client.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { parseLimitChanges, storedOverrides } from '../config/group-limits.js';
import { NotFoundProblem, ValidationProblem } from '../common/problem.js';
import { PageQuery, Page, toPage } from '../common/pagination.js';
import { generateWebhookSecret } from './api-key-secret.js';
import { GroupResponse, toGroupResponse } from './dto/group.dto.js';
import { toGroupLimitsResponse, UpdateGroupBody } from './dto/group-limits.dto.js';
import { ApiKeyCache } from './api-key-cache.js';
import type { Caller } from './caller.js';
import { GroupNameTakenProblem, GroupNotEmptyProblem, OwnDefaultGroupProblem } from './group-problems.js';
import { GroupsRepository } from './groups.repository.js';
import type { AuditActor, AuditEntry } from '../common/audit-events.js';

@Injectable()
export class GroupsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly groups: GroupsRepository,
    private readonly keys: ApiKeyCache,
  ) {}

  async create(name: string, actor: AuditActor): Promise<GroupResponse> {
    const group = await this.groups.create(name, generateWebhookSecret(), (created) => [
      groupEntry(actor, 'group.created', created, undefined, groupState(created)),
    ]);
    if (!group) throw new GroupNameTakenProblem(name);
    return toGroupResponse(group, true);
  }

  async list(query: PageQuery): Promise<Page<GroupResponse>> {
    const rows = await this.groups.page(query.skip, query.page_size);
    return toPage(query, rows, (group) => toGroupResponse(group, false));
  }

  /** The groups with these ids that exist, by name, without their secrets. */
  async named(ids: string[]): Promise<GroupResponse[]> {
    return (await this.groups.findByIds(ids)).map((group) => toGroupResponse(group, false));
  }

  /** One group with its secret, its limits and what it holds against them. */
  async get(id: string): Promise<GroupResponse> {
    return this.detail(await this.groups.findById(id), id);
  }

  /** Renames the group and changes its own limits (null: back to the deployment's default); answers like `get`. */
  async update(id: string, body: UpdateGroupBody, actor: AuditActor): Promise<GroupResponse> {
    // The limits are checked before the rename, so a refused request changes nothing.
    const limits = body.limits ? parseLimitChanges(body.limits as Record<string, unknown>) : undefined;
    if (limits && limits.problems.length > 0) {
      throw new ValidationProblem(limits.problems, 'The limits are not valid; see errors.');
    }
    if (body.name !== undefined || limits) {
      const updated = await this.groups.update(id, body.name, limits?.changes, (before, after) => [
        groupEntry(actor, 'group.updated', after, groupState(before), groupState(after)),
      ]);
      if (updated === undefined) throw new GroupNameTakenProblem(body.name!);
      if (updated === null) throw new NotFoundProblem('Group', id);
    }
    return this.get(id);
  }

  /**
   * Deletes the group if it holds nothing; with `force`, with everything it holds, unless runs are
   * still active. Never the caller's own default group: that would revoke the key making the request.
   */
  async delete(id: string, force: boolean, caller: Caller, actor: AuditActor): Promise<void> {
    if (caller.defaultGroupId === id) {
      if (!(await this.groups.findById(id))) throw new NotFoundProblem('Group', id);
      throw new OwnDefaultGroupProblem();
    }
    const deletion = await this.groups.deleteGroup(
      id,
      (holds) => (force ? holds.active_runs > 0 : Object.values(holds).some((count) => count > 0)),
      (group, holdings) => [groupEntry(actor, 'group.deleted', group, { ...groupState(group), holdings })],
    );
    if (deletion.outcome === 'not-found') throw new NotFoundProblem('Group', id);
    if (deletion.outcome === 'refused') throw new GroupNotEmptyProblem(id, deletion.holdings, force);
    for (const keyId of deletion.changedKeyIds) await this.keys.changed(keyId);
  }

  private async detail(group: Group | null, id: string): Promise<GroupResponse> {
    if (!group) throw new NotFoundProblem('Group', id);
    return {
      ...toGroupResponse(group, true),
      limits: toGroupLimitsResponse(this.config.groupLimits, storedOverrides(group.limits)),
      usage: await this.groups.usage(group.id),
    };
  }
}

/** A group as its audit rows show it: never its webhook secrets. */
function groupState(group: Group): Record<string, unknown> {
  return { name: group.name, limits: group.limits };
}

function groupEntry(actor: AuditActor, action: string, group: Group, before?: unknown, after?: unknown): AuditEntry {
  return { actor, groupId: group.id, action, targetType: 'group', targetId: group.id, before, after };
}
