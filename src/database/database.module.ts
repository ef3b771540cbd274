import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DatabaseAvailability } from './database-availability.js';
import { DATABASE_URL, DatabaseConnection, PG_POOL, type PgPool } from './database.tokens.js';
import { InstanceHeartbeat } from './instance-heartbeat.js';
import { NotificationsService } from './notifications.service.js';
import { QueueNudge } from './queue-nudge.js';
import { PrismaService } from './prisma.service.js';

/** A request waiting this long for a connection (the server is gone or full) gets a 503. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Removes this instance's heartbeat, closes the pool, then stops the embedded PostgreSQL, after
 * everything else has let go of them.
 */
class DatabaseShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: PgPool,
    private readonly heartbeat: InstanceHeartbeat,
    private readonly stopServer?: () => Promise<void>,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.heartbeat.stop();
    await this.pool.end().catch(() => undefined);
    await this.stopServer?.();
  }
}

function createPool(url: string, max: number, availability: DatabaseAvailability): PgPool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle connection the server closed (restart, failover) is dropped by the pool; without a
  // listener the 'error' event would crash the process. A server shutting down closes them first,
  // so this is often where an outage is seen.
  const logger = new Logger('Database');
  const lost = (error: Error) => {
    if (!availability.failed('an idle connection', error)) logger.warn({ err: error }, 'database connection lost');
  };
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  return pool;
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(connection: DatabaseConnection): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_URL, useValue: connection.url },
        DatabaseAvailability,
        {
          provide: PG_POOL,
          inject: [APP_CONFIG, DatabaseAvailability],
          useFactory: (config: AppConfig, availability: DatabaseAvailability) =>
            createPool(connection.url, config.databasePoolMax, availability),
        },
        {
          provide: DatabaseShutdown,
          inject: [PG_POOL, InstanceHeartbeat],
          useFactory: (pool: PgPool, heartbeat: InstanceHeartbeat) =>
            new DatabaseShutdown(pool, heartbeat, connection.stopServer),
        },
        PrismaService,
        NotificationsService,
        QueueNudge,
        InstanceHeartbeat,
      ],
      exports: [
        DATABASE_URL,
        PG_POOL,
        DatabaseAvailability,
        PrismaService,
        NotificationsService,
        QueueNudge,
        InstanceHeartbeat,
      ],
    };
  }
}
