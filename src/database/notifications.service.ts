import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { backoff, sleep } from './backoff.js';
import { DatabaseAvailability } from './database-availability.js';
import { DATABASE_URL, PG_POOL, type PgPool } from './database.tokens.js';

type Listener = (payload: string) => void;

/**
 * PostgreSQL LISTEN/NOTIFY: how instances sharing one database tell each other things (a key was
 * revoked, a workflow changed, a run must stop, a run has new events). One dedicated connection
 * listens, kept by one loop: when it drops, the loop reconnects with capped backoff and, once
 * every LISTEN is active again, tells `onReconnect` subscribers, who may have missed messages in
 * between and must assume the worst (e.g. clear their caches). Clearing only after LISTEN is back
 * leaves no window in which a message could be missed and a stale entry kept.
 */
@Injectable()
export class NotificationsService implements OnApplicationShutdown {
  private readonly logger = new Logger(NotificationsService.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly reconnectListeners = new Set<() => void>();
  private client: pg.Client | undefined;
  private loop: Promise<void> | undefined;
  private firstConnection: Promise<void> | undefined;
  private closed = false;

  constructor(
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    @Inject(PG_POOL) private readonly pool: PgPool,
    private readonly availability: DatabaseAvailability,
  ) {}

  /** Subscribes to a channel; resolves once the LISTEN is in place. Returns an unsubscribe function. */
  async listen(channel: string, listener: Listener): Promise<() => void> {
    quoteChannel(channel);
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      await this.start();
      // A connection made before this channel existed listens to it now; a later one does in `connect`.
      await this.client?.query(`LISTEN ${quoteChannel(channel)}`).catch(() => undefined);
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

  /** One notification per payload, sent in one statement (delivered together when it commits). */
  async notifyEach(channel: string, payloads: string[]): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [channel, payloads]);
  }

  /** Late in shutdown, so runs draining in `beforeApplicationShutdown` still hear stop requests. */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
    await this.loop;
  }

  /** Starts the connection loop once; resolves when the first connection listens. */
  private start(): Promise<void> {
    if (!this.firstConnection) {
      let connected!: () => void;
      this.firstConnection = new Promise((resolve) => (connected = resolve));
      this.loop = this.keepConnected(connected);
    }
    return this.firstConnection;
  }

  private async keepConnected(connected: () => void): Promise<void> {
    const delays = backoff(250, 5_000);
    let reconnecting = false;
    while (!this.closed) {
      try {
        const client = await this.connect();
        const ended = new Promise<void>((resolve) => client.once('end', resolve));
        this.client = client;
        delays.reset();
        if (reconnecting) {
          this.logger.log('notification connection re-established');
          for (const listener of this.reconnectListeners) listener();
        }
        connected();
        await ended;
        this.client = undefined;
        if (this.closed) return;
      } catch (error) {
        const delay = delays.next();
        if (!this.availability.failed('listening for notifications', error)) {
          this.logger.warn({ err: error, retryInMs: delay }, 'notification connection could not be established');
        }
        await sleep(delay);
      }
      reconnecting = true;
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => {
      for (const listener of this.listeners.get(message.channel) ?? []) listener(message.payload ?? '');
    });
    // Ending the client (which the loop waits for, then reconnects) follows every error.
    client.on('error', (error) => {
      if (!this.availability.failed('listening for notifications', error)) {
        this.logger.warn({ err: error }, 'notification connection lost; reconnecting');
      }
      void client.end().catch(() => undefined);
    });
    try {
      await client.connect();
      for (const channel of this.listeners.keys()) await client.query(`LISTEN ${quoteChannel(channel)}`);
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }
}

function quoteChannel(channel: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
  return `"${channel}"`;
}
