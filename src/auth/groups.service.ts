import { Injectable } from '@nestjs/common';
import { NotFoundProblem } from '../common/problem.js';
import { PageQuery, Page, toPage } from '../common/pagination.js';
import { generateWebhookSecret } from './api-key-secret.js';
import { GroupResponse, toGroupResponse } from './dto/group.dto.js';
import { GroupsRepository } from './groups.repository.js';

@Injectable()
export class GroupsService {
  constructor(private readonly groups: GroupsRepository) {}

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

  async get(id: string): Promise<GroupResponse> {
    const group = await this.groups.findById(id);
    if (!group) throw new NotFoundProblem('Group', id);
    return toGroupResponse(group, true);
  }
}
