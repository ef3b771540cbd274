import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../../src/app.js';
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

/** The real app on its own fresh database, with an admin key, ready for supertest. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({ BOOTSTRAP_API_KEY: ADMIN_KEY, LOG_LEVEL: 'silent', ...env, DATABASE_URL: database.url });
  const app = await createApp(config, { url: database.url });
  await app.init();
  await app.get(BootstrapKeyService).ensureAdminKey();
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
