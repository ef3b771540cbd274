import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PrismaService } from '../database/prisma.service.js';
import { displayPrefix, generateApiKey, generateWebhookSecret, hashApiKey } from './api-key-secret.js';

export const DEFAULT_GROUP_NAME = 'default';
// Serialises first-start bootstrap across instances starting at once on an empty database.
const BOOTSTRAP_LOCK = 72_707_370;

/**
 * Makes a fresh install usable: with BOOTSTRAP_API_KEY, ensures that admin key (and a `default`
 * group) exist; without it, the first start on an empty database creates both and returns the
 * new secret so it can be printed once. A revoked bootstrap key stays revoked: a restart with the
 * same BOOTSTRAP_API_KEY must not undo a revocation.
 */
@Injectable()
export class BootstrapKeyService {
  private readonly logger = new Logger(BootstrapKeyService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
  ) {}

  /** Returns a newly generated secret, or undefined when nothing secret was created. */
  async ensureAdminKey(): Promise<string | undefined> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`;
      const wanted = this.config.bootstrapApiKey;
      if (!wanted && (await tx.apiKey.count()) > 0) return undefined;
      const secret = wanted ?? generateApiKey();
      const hash = hashApiKey(secret);
      const existing = await tx.apiKey.findUnique({ where: { hash }, select: { revokedAt: true } });
      if (existing?.revokedAt) {
        this.logger.warn('BOOTSTRAP_API_KEY names a revoked API key and is ignored');
        return undefined;
      }
      const group =
        (await tx.group.findFirst({
          where: { name: { equals: DEFAULT_GROUP_NAME, mode: 'insensitive' } },
          orderBy: { createdAt: 'asc' },
        })) ?? (await tx.group.create({ data: { name: DEFAULT_GROUP_NAME, webhookSecret: generateWebhookSecret() } }));
      await tx.apiKey.upsert({
        where: { hash },
        update: { role: 'admin', expiresAt: null },
        create: {
          name: wanted ? 'bootstrap' : 'first-start admin',
          hash,
          prefix: displayPrefix(secret),
          role: 'admin',
          defaultGroupId: group.id,
          groupIds: [group.id],
        },
      });
      return wanted ? undefined : secret;
    });
  }
}
