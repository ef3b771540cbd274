import { DynamicModule, Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { DATABASE_URL, DatabaseConnection } from './database.tokens.js';
import { PrismaService } from './prisma.service.js';

/** Stops the embedded PostgreSQL after everything else (Prisma included) has let go of it. */
class EmbeddedServerShutdown implements OnApplicationShutdown {
  constructor(private readonly stopServer?: () => Promise<void>) {}

  async onApplicationShutdown(): Promise<void> {
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
        { provide: EmbeddedServerShutdown, useValue: new EmbeddedServerShutdown(connection.stopServer) },
        PrismaService,
      ],
      exports: [DATABASE_URL, PrismaService],
    };
  }
}
