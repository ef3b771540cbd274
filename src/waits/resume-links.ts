import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PG_POOL, type PgPool } from '../database/database.tokens.js';
import { RESUME_PATH } from '../common/logged-path.js';

const KEY_NAME = 'resume_links';

/** Made by the first instance that starts, shared by all through the database. */
const ENSURE_KEY = `
  WITH made AS (
    INSERT INTO signing_keys (name, key) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING key
  )
  SELECT key FROM made UNION ALL SELECT key FROM signing_keys WHERE name = $1 LIMIT 1`;

/**
 * Resume links of waiting SignalNodes: a single-use URL that sends the signal without an API key.
 * Its token is an HMAC of the wait (run, node, the node's attempt under its retry policy) under a
 * key the instances share, so the
 * API can show the link again on every read while the database keeps only the token's SHA-256:
 * a leaked database or log holds no link.
 */
@Injectable()
export class ResumeLinks implements OnModuleInit {
  private key: Buffer | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: PgPool,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'publicUrl'>,
  ) {}

  async onModuleInit(): Promise<void> {
    const result = await this.pool.query<{ key: Buffer }>(ENSURE_KEY, [KEY_NAME, randomBytes(32)]);
    this.key = result.rows[0].key;
  }

  /** The token of the wait of node `nodeId` of run `runId` in its `attempt`-th execution. */
  token(runId: string, nodeId: string, attempt: number): string {
    if (!this.key) throw new Error('resume links are not ready: the key is loaded at start-up');
    return createHmac('sha256', this.key).update(`${runId}\n${nodeId}\n${attempt}`).digest('base64url');
  }

  tokenHash(runId: string, nodeId: string, attempt: number): string {
    return hashToken(this.token(runId, nodeId, attempt));
  }

  /**
   * An event's data as the API shows it: a `node.waiting` event of a SignalNode gets its resume
   * link (the stored event holds only the node attempt it is derived from).
   */
  eventData(runId: string, type: string, data: Record<string, unknown>): Record<string, unknown> {
    if (type !== 'node.waiting' || typeof data.signal !== 'string') return data;
    if (typeof data.node_id !== 'string' || typeof data.attempt !== 'number') return data;
    return { ...data, resume_url: this.url(runId, data.node_id, data.attempt) };
  }

  /** The link: absolute under PUBLIC_URL when set, else a path on this API. */
  url(runId: string, nodeId: string, attempt: number): string {
    return `${this.config.publicUrl ?? ''}${RESUME_PATH}/${this.token(runId, nodeId, attempt)}`;
  }
}

/** What the database keeps of a token, and looks it up by. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
