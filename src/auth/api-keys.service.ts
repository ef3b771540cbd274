import { Injectable } from '@nestjs/common';
import { NotFoundProblem, ValidationProblem, FieldProblem } from '../common/problem.js';
import { Page, PageQuery, toPage } from '../common/pagination.js';
import { ApiKeyCache } from './api-key-cache.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key-secret.js';
import { ApiKeyResponse, CreateApiKeyBody, CreatedApiKeyResponse, toApiKeyResponse } from './dto/api-key.dto.js';
import { GroupsRepository } from './groups.repository.js';

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly cache: ApiKeyCache,
    private readonly groups: GroupsRepository,
  ) {}

  async create(body: CreateApiKeyBody): Promise<CreatedApiKeyResponse> {
    const groupIds = body.group_ids.map((id) => id.toLowerCase());
    const defaultGroupId = body.default_group_id?.toLowerCase() ?? groupIds[0];
    await this.checkGroups(groupIds, defaultGroupId, body.expires_at);
    const secret = generateApiKey();
    const key = await this.keys.create({
      name: body.name,
      hash: hashApiKey(secret),
      prefix: displayPrefix(secret),
      role: body.role,
      defaultGroupId,
      groupIds,
      expiresAt: body.expires_at ? new Date(body.expires_at) : null,
    });
    return { ...toApiKeyResponse(key), key: secret };
  }

  async list(query: PageQuery): Promise<Page<ApiKeyResponse>> {
    return toPage(query, await this.keys.page(query.skip, query.page_size), toApiKeyResponse);
  }

  async revoke(id: string): Promise<void> {
    const key = await this.keys.findById(id);
    if (!key) throw new NotFoundProblem('API key', id);
    if (!key.revokedAt) await this.keys.revoke(id);
    await this.cache.changed(id);
  }

  private async checkGroups(groupIds: string[], defaultGroupId: string, expiresAt?: string): Promise<void> {
    const problems: FieldProblem[] = [];
    const existing = await this.groups.existingIds(groupIds);
    groupIds.forEach((id, index) => {
      if (!existing.has(id)) problems.push({ field: `group_ids[${index}]`, message: `group ${id} does not exist` });
    });
    if (!groupIds.includes(defaultGroupId)) {
      problems.push({ field: 'default_group_id', message: 'default_group_id must be one of group_ids' });
    }
    if (expiresAt && new Date(expiresAt).getTime() <= Date.now()) {
      problems.push({ field: 'expires_at', message: 'expires_at must be in the future' });
    }
    if (problems.length) throw new ValidationProblem(problems);
  }
}
