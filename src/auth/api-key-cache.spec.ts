import { describe, expect, it } from '@jest/globals';
import type { ApiKey } from '../generated/prisma/client.js';
import type { NotificationsService } from '../database/notifications.service.js';
import { stub } from '../common/testing/stub.js';
import { ApiKeyCache } from './api-key-cache.js';
import type { ApiKeysRepository } from './api-keys.repository.js';

function cacheOver(known: Record<string, ApiKey>) {
  const lookups: string[] = [];
  const repository = stub<ApiKeysRepository>({
    findByHash: (hash: string) => {
      lookups.push(hash);
      return Promise.resolve(known[hash] ?? null);
    },
  });
  return { cache: new ApiKeyCache(repository, stub<NotificationsService>({})), lookups };
}

describe('ApiKeyCache', () => {
  it('answers a repeated unknown key from memory, and a known key too', async () => {
    const key = stub<ApiKey>({ id: 'k1' });
    const { cache, lookups } = cacheOver({ good: key });
    for (let attempt = 0; attempt < 5; attempt++) {
      await expect(cache.findByHash('made-up')).resolves.toBeNull();
      await expect(cache.findByHash('good')).resolves.toBe(key);
    }
    expect(lookups).toEqual(['made-up', 'good']);
    expect(cache.cached('good')).toBe(key);
    expect(cache.cached('made-up')).toBeUndefined();
  });
});
