import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';

const WINDOW_MS = 60_000;

/**
 * A fixed one-minute window per API key, counted in this process: with N API instances behind a
 * load balancer a key can make up to N × RATE_LIMIT_PER_MINUTE requests. 0 turns it off.
 */
@Injectable()
export class RateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Counts one request; returns the seconds to wait when over the limit, else undefined. */
  take(keyId: string, now = Date.now()): number | undefined {
    const limit = this.config.rateLimitPerMinute;
    if (limit === 0) return undefined;
    let window = this.windows.get(keyId);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      window = { startedAt: now, count: 0 };
      this.windows.set(keyId, window);
    }
    window.count++;
    if (window.count <= limit) return undefined;
    return Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000));
  }
}
