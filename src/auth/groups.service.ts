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
import { GroupsRepository } from './groups.repository.js';

@Injectable()
export class GroupsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly groups: GroupsRepository,
  ) {}

  async create(name: string): Promise<GroupResponse> {
    return toGroupResponse(await this.groups.create(name, generateWebhookSecret()), true);
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

  /** Changes the group's own limits (null: back to the deployment's default); answers like `get`. */
  async update(id: string, body: UpdateGroupBody): Promise<GroupResponse> {
    if (body.limits) {
      const { changes, problems } = parseLimitChanges(body.limits as Record<string, unknown>);
      if (problems.length > 0) throw new ValidationProblem(problems, 'The limits are not valid; see errors.');
      if (!(await this.groups.changeLimits(id, changes.set, changes.reset))) throw new NotFoundProblem('Group', id);
    }
    return this.get(id);
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
