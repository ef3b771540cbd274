import { Injectable, OnModuleInit } from '@nestjs/common';
import type { ApiKey } from '../generated/prisma/client.js';
import { NotificationsService } from '../database/notifications.service.js';
import { ApiKeysRepository } from './api-keys.repository.js';

const CHANNEL = 'runloom_api_key_changed';
// A safety net only: revocations reach every instance through NOTIFY within milliseconds.
const TTL_MS = 60_000;

/**
 * Known keys by hash, so authenticating a request costs no query. Revoking a key notifies every
 * instance, which drops it at once; a lost listener connection clears the cache.
 */
@Injectable()
export class ApiKeyCache implements OnModuleInit {
  private readonly byHash = new Map<string, { key: ApiKey; cachedAt: number }>();
  /** Bumped on every change notice and reconnect, so a read that raced with one is not cached. */
  private epoch = 0;

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly notifications: NotificationsService,
  ) {}

  async onModuleInit(): Promise<void> {
    this.notifications.onReconnect(() => {
      this.epoch++;
      this.byHash.clear();
    });
    await this.notifications.listen(CHANNEL, (keyId) => this.evict(keyId));
  }

  async findByHash(hash: string): Promise<ApiKey | null> {
    const cached = this.byHash.get(hash);
    if (cached && Date.now() - cached.cachedAt < TTL_MS) return cached.key;
    const epoch = this.epoch;
    const key = await this.keys.findByHash(hash);
    // Unknown hashes are not remembered: anyone can send endless made-up keys.
    if (key && epoch === this.epoch) this.byHash.set(hash, { key, cachedAt: Date.now() });
    else this.byHash.delete(hash);
    return key;
  }

  /** Call after changing a key: every instance forgets it. */
  async changed(keyId: string): Promise<void> {
    this.evict(keyId);
    await this.notifications.notify(CHANNEL, keyId);
  }

  private evict(keyId: string): void {
    this.epoch++;
    for (const [hash, entry] of this.byHash) if (entry.key.id === keyId) this.byHash.delete(hash);
  }
}
