import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import request, { type Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import type Test from 'supertest/lib/test.js';
import { createApp } from '../../src/app.js';
import { BootstrapKeyService, DEFAULT_GROUP_NAME } from '../../src/auth/bootstrap-key.service.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { loadConfig, servesApi } from '../../src/config/app-config.js';
import { assertConforms, hasContract, useContract } from './contract.js';
import { closed, closesLater } from './leftovers.js';
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
  if (servesApi(config)) {
    await app.get(BootstrapKeyService).ensureAdminKey();
    if (!hasContract()) useContract((await request(app.getHttpServer()).get('/docs-json').expect(200)).body);
  }
  return app;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/** A supertest agent whose every answer must match the app's OpenAPI document (support/contract.ts). */
export function contractAgent(server: Server): TestAgent {
  return new Proxy(request(server), {
    get(agent, property, receiver) {
      const value = Reflect.get(agent, property, receiver) as unknown;
      if (typeof value !== 'function' || !METHODS.has(String(property))) return value;
      return (...args: unknown[]) => (value as (...a: unknown[]) => Test).apply(agent, args).expect(conformsToContract);
    },
  });
}

function conformsToContract(response: Response): void {
  const sent = (response as unknown as { req: { method: string; path: string } }).req;
  assertConforms({
    method: sent.method,
    url: sent.path,
    status: response.status,
    contentType: response.headers['content-type'],
    body: response.type.endsWith('json') ? response.body : response.text,
  });
}

/** The real app on its own fresh database, with an admin key, ready for supertest. */
export function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  return closesLater(startTestApp(env), (testApp) => testApp.close());
}

async function startTestApp(env: Record<string, string>): Promise<TestApp> {
  const database = await createTestDatabase();
  const app = await startApp(database.url, env);
  const http = contractAgent(app.getHttpServer());
  const defaultGroup = await app.get(PrismaService).group.findFirstOrThrow({ where: { name: DEFAULT_GROUP_NAME } });
  const testApp: TestApp = {
    app,
    http,
    databaseUrl: database.url,
    defaultGroupId: defaultGroup.id,
    close: async () => {
      closed(testApp);
      await app.close();
      await database.drop();
    },
  };
  return testApp;
}
