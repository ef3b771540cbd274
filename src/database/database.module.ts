import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { DATABASE_URL, DatabaseConnection, PG_POOL, type PgPool } from './database.tokens.js';
import { NotificationsService } from './notifications.service.js';
import { PrismaService } from './prisma.service.js';

const POOL_SIZE = 20;

/** Closes the pool, then stops the embedded PostgreSQL, after everything else has let go of them. */
class DatabaseShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: PgPool,
    private readonly stopServer?: () => Promise<void>,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => undefined);
    await this.stopServer?.();
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(connection: DatabaseConnection): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_URL, useValue: connection.url },
        { provide: PG_POOL, useFactory: () => new pg.Pool({ connectionString: connection.url, max: POOL_SIZE }) },
        {
          provide: DatabaseShutdown,
          inject: [PG_POOL],
          useFactory: (pool: PgPool) => new DatabaseShutdown(pool, connection.stopServer),
        },
        PrismaService,
        NotificationsService,
      ],
      exports: [DATABASE_URL, PG_POOL, PrismaService, NotificationsService],
    };
  }
}
