import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../../src/app.js';
import { servesApi } from '../../src/app.module.js';
import { BootstrapKeyService, DEFAULT_GROUP_NAME } from '../../src/auth/bootstrap-key.service.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { loadConfig } from '../../src/config/app-config.js';
import { createTestDatabase } from './test-database.js';

export const ADMIN_KEY = 'rl_TestAdminKey0000000000000000000000000001';

export interface TestApp {
  app: NestExpressApplication;
  http: TestAgent;
  databaseUrl: string;
  /** The bootstrap admin key's default group (`default`). */
  defaultGroupId: string;
  close(): Promise<void>;
}

/**
 * The real app on an existing database (a second instance, or a restart), initialised but not
 * listening; with the admin key when it serves the API. Closing it leaves the database.
 */
export async function startApp(databaseUrl: string, env: Record<string, string> = {}): Promise<NestExpressApplication> {
  const config = loadConfig({ BOOTSTRAP_API_KEY: ADMIN_KEY, LOG_LEVEL: 'silent', ...env, DATABASE_URL: databaseUrl });
  const app = await createApp(config, { url: databaseUrl });
  await app.init();
  if (servesApi(config)) await app.get(BootstrapKeyService).ensureAdminKey();
  return app;
}

/** The real app on its own fresh database, with an admin key, ready for supertest. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const app = await startApp(database.url, env);
  const http = request(app.getHttpServer());
  const defaultGroup = await app.get(PrismaService).group.findFirstOrThrow({ where: { name: DEFAULT_GROUP_NAME } });
  return {
    app,
    http,
    databaseUrl: database.url,
    defaultGroupId: defaultGroup.id,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
