import { Injectable } from '@nestjs/common';
import { NotFoundProblem, ValidationProblem, FieldProblem } from '../common/problem.js';
import { Page, PageQuery, toPage } from '../common/pagination.js';
import { ApiKeyCache } from './api-key-cache.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key-secret.js';
import { ApiKeyResponse, CreateApiKeyBody, CreatedApiKeyResponse, toApiKeyResponse } from './dto/api-key.dto.js';
import { GroupsRepository } from './groups.repository.js';
import { PrismaService } from '../database/prisma.service.js';
import { audited, type AuditActor, type AuditEntry } from '../common/audit-events.js';
import type { ApiKey } from '../generated/prisma/client.js';

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly cache: ApiKeyCache,
    private readonly groups: GroupsRepository,
    private readonly prisma: PrismaService,
  ) {}

  async create(body: CreateApiKeyBody, actor: AuditActor): Promise<CreatedApiKeyResponse> {
    const groupIds = body.group_ids.map((id) => id.toLowerCase());
    const defaultGroupId = body.default_group_id?.toLowerCase() ?? groupIds[0];
    await this.checkGroups(groupIds, defaultGroupId, body.expires_at);
    const secret = generateApiKey();
    const data = {
      name: body.name,
      hash: hashApiKey(secret),
      prefix: displayPrefix(secret),
      role: body.role,
      defaultGroupId,
      groupIds,
      expiresAt: body.expires_at ? new Date(body.expires_at) : null,
    };
    const key = await audited(
      this.prisma,
      (tx) => this.keys.create(data, tx),
      (created) => [keyEntry(actor, 'api_key.created', created, undefined, toApiKeyResponse(created))],
    );
    return { ...toApiKeyResponse(key), key: secret };
  }

  async list(query: PageQuery): Promise<Page<ApiKeyResponse>> {
    return toPage(query, await this.keys.page(query.skip, query.page_size), toApiKeyResponse);
  }

  /** Revoking a revoked key changes nothing, and records nothing. */
  async revoke(id: string, actor: AuditActor): Promise<void> {
    const key = await audited(
      this.prisma,
      async (tx) => {
        const found = await this.keys.findById(id, tx);
        return { before: found, after: found && (await this.keys.revoke(id, tx)) };
      },
      ({ before, after }) =>
        before && after
          ? [keyEntry(actor, 'api_key.revoked', after, toApiKeyResponse(before), toApiKeyResponse(after))]
          : [],
    );
    if (!key.before) throw new NotFoundProblem('API key', id);
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

/** Keys belong to no group; their rows sit in the key's default group, where its group's keys can read them. */
function keyEntry(actor: AuditActor, action: string, key: ApiKey, before?: unknown, after?: unknown): AuditEntry {
  return { actor, groupId: key.defaultGroupId, action, targetType: 'api_key', targetId: key.id, before, after };
}
