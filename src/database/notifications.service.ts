import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { DATABASE_URL, PG_POOL, type PgPool } from './database.tokens.js';

type Listener = (payload: string) => void;
const RECONNECT_DELAY_MS = 1000;

/**
 * PostgreSQL LISTEN/NOTIFY: how instances sharing one database tell each other things (a key was
 * revoked, a workflow changed, a run must stop, a run has new events). One dedicated connection
 * listens; if it drops, it reconnects and tells `onReconnect` subscribers, who may have missed
 * messages in between and must assume the worst (e.g. clear their caches).
 */
@Injectable()
export class NotificationsService implements OnApplicationShutdown {
  private readonly logger = new Logger(NotificationsService.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly reconnectListeners = new Set<() => void>();
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private closed = false;

  constructor(
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    @Inject(PG_POOL) private readonly pool: PgPool,
  ) {}

  /** Subscribes to a channel; resolves once the LISTEN is in place. Returns an unsubscribe function. */
  async listen(channel: string, listener: Listener): Promise<() => void> {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      const client = await this.connection();
      await client.query(`LISTEN ${quoteChannel(channel)}`);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.add(listener);
  }

  async notify(channel: string, payload: string): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  /** Late in shutdown, so runs draining in `beforeApplicationShutdown` still hear stop requests. */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => {
      for (const listener of this.listeners.get(message.channel) ?? []) listener(message.payload ?? '');
    });
    client.on('error', (error) => this.logger.warn({ err: error }, 'notification connection failed'));
    client.on('end', () => {
      this.client = undefined;
      if (!this.closed) setTimeout(() => void this.reconnect(), RECONNECT_DELAY_MS);
    });
    await client.connect();
    for (const channel of this.listeners.keys()) await client.query(`LISTEN ${quoteChannel(channel)}`);
    this.client = client;
    return client;
  }

  private async reconnect(): Promise<void> {
    if (this.closed || this.client) return;
    try {
      await this.connection();
      for (const listener of this.reconnectListeners) listener();
    } catch (error) {
      this.logger.warn({ err: error }, 'notification connection could not be re-established; retrying');
      setTimeout(() => void this.reconnect(), RECONNECT_DELAY_MS);
    }
  }
}

function quoteChannel(channel: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
  return `"${channel}"`;
}
