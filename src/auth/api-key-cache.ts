import { Injectable, OnModuleInit } from '@nestjs/common';
import type { ApiKey } from '../generated/prisma/client.js';
import { NotificationsService } from '../database/notifications.service.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { API_KEY_CHANGED_CHANNEL } from '../database/channels.js';

// A safety net only: revocations reach every instance through NOTIFY within milliseconds.
const TTL_MS = 60_000;
/** An unknown key is answered from memory this long: made-up keys cost no query each. */
const UNKNOWN_TTL_MS = 10_000;
const MAX_UNKNOWN = 10_000;

/**
 * Known keys by hash, so authenticating a request costs no query, and hashes found unknown, for a
 * short while, so endless made-up keys cost one query each per UNKNOWN_TTL_MS at most. Revoking a
 * key notifies every instance, which drops it at once; a lost listener connection clears the cache.
 */
@Injectable()
export class ApiKeyCache implements OnModuleInit {
  private readonly byHash = new Map<string, { key: ApiKey; cachedAt: number }>();
  private readonly unknown = new Map<string, number>();
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
    await this.notifications.listen(API_KEY_CHANGED_CHANNEL, (keyId) => this.evict(keyId));
  }

  /** The key if it is cached now, without a query. */
  cached(hash: string): ApiKey | undefined {
    const cached = this.byHash.get(hash);
    return cached && Date.now() - cached.cachedAt < TTL_MS ? cached.key : undefined;
  }

  async findByHash(hash: string): Promise<ApiKey | null> {
    const cached = this.cached(hash);
    if (cached) return cached;
    if (Date.now() - (this.unknown.get(hash) ?? -Infinity) < UNKNOWN_TTL_MS) return null;
    const epoch = this.epoch;
    const key = await this.keys.findByHash(hash);
    if (epoch !== this.epoch)
      this.byHash.delete(hash); // raced with a change notice or a reconnect
    else if (key) this.byHash.set(hash, { key, cachedAt: Date.now() });
    else this.rememberUnknown(hash);
    return key;
  }

  /** Call after changing a key: every instance forgets it. */
  async changed(keyId: string): Promise<void> {
    this.evict(keyId);
    await this.notifications.notify(API_KEY_CHANGED_CHANNEL, keyId);
  }

  private rememberUnknown(hash: string): void {
    this.byHash.delete(hash);
    this.unknown.delete(hash);
    if (this.unknown.size >= MAX_UNKNOWN) this.unknown.delete(this.unknown.keys().next().value!);
    this.unknown.set(hash, Date.now());
  }

  private evict(keyId: string): void {
    this.epoch++;
    for (const [hash, entry] of this.byHash) if (entry.key.id === keyId) this.byHash.delete(hash);
  }
}
