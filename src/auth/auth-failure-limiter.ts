import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Problem } from '../common/problem.js';

const WINDOW_MS = 60_000;
/** Addresses remembered at most; past it the oldest windows are forgotten first. */
const MAX_ADDRESSES = 100_000;

/**
 * Failed authentications per client address, in a fixed one-minute window counted in this
 * process (AUTH_FAILURES_PER_MINUTE; 0 turns it off). Past the limit an address gets 429 before
 * its key is even looked at, so guessing keys costs the server nothing.
 */
@Injectable()
export class AuthFailureLimiter {
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Throws 429 while `address` is over the limit. */
  check(address: string, now = Date.now()): void {
    const limit = this.config.authFailuresPerMinute;
    const window = this.windows.get(address);
    if (limit === 0 || !window || now - window.startedAt >= WINDOW_MS || window.failures < limit) return;
    const retryAfter = Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000));
    throw new Problem(
      429,
      'rate-limited',
      'Too Many Requests',
      'Too many failed authentications from this address; retry later.',
      {},
      { 'Retry-After': String(retryAfter) },
    );
  }

  failed(address: string, now = Date.now()): void {
    let window = this.windows.get(address);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      this.windows.delete(address);
      if (this.windows.size >= MAX_ADDRESSES) this.windows.delete(this.windows.keys().next().value!);
      window = { startedAt: now, failures: 0 };
      this.windows.set(address, window);
    }
    window.failures++;
  }
}
