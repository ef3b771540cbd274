import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Problem } from './problem.js';

/**
 * Open event streams per API key (MAX_STREAMS_PER_KEY), counted in this process. Taking a slot is
 * the first thing a stream endpoint does, before any await: from then on the response's `close`
 * (the client left, or the stream ended) frees the slot and aborts the returned signal, so work
 * started for a stream whose client is gone stops instead of leaking timers and listeners.
 */
@Injectable()
export class StreamSlots {
  private readonly open = new Map<string, number>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Throws 429 when the key has too many streams open; the signal aborts when the client is gone. */
  take(request: Request, response: Response): AbortSignal {
    const keyId = request.caller?.keyId ?? '';
    const count = this.open.get(keyId) ?? 0;
    if (count >= this.config.maxStreamsPerKey) {
      throw new Problem(
        429,
        'too-many-streams',
        'Too Many Requests',
        `This API key has ${count} event streams open, the most allowed (MAX_STREAMS_PER_KEY); close one first.`,
        {},
        { 'Retry-After': '1' },
      );
    }
    this.open.set(keyId, count + 1);
    const gone = new AbortController();
    const release = () => {
      if (gone.signal.aborted) return;
      gone.abort();
      const left = (this.open.get(keyId) ?? 1) - 1;
      if (left > 0) this.open.set(keyId, left);
      else this.open.delete(keyId);
    };
    response.once('close', release);
    // The client may have left before this handler ran: `close` has then already been emitted.
    if (response.destroyed || request.socket.destroyed) release();
    return gone.signal;
  }
}
