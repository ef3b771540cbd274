import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from './app.js';
import { BootstrapKeyService } from './auth/bootstrap-key.service.js';
import { type AppConfig, servesApi } from './config/app-config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';
import { retrying } from './database/backoff.js';
import { migrateDatabase } from './database/migrate.js';
import { isFatalDatabaseError, isTransientDatabaseError } from './database/transient-errors.js';
import { readOrCreateSecretsKey } from './secrets/secrets-key-file.js';

export interface RunningServer {
  app: NestExpressApplication;
  port: number;
}

/**
 * Everything `npm start` does: pick the database (embedded when DATABASE_URL is unset), apply
 * pending migrations, build the app, make sure an admin key exists, listen.
 */
export async function startServer(appConfig: AppConfig, print: (text: string) => void): Promise<RunningServer> {
  let config = appConfig;
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    const secretsKey =
      config.secretsKey ?? (await readOrCreateSecretsKey(config.dataDir, (line) => print(`${line}\n`)));
    config = { ...config, secretsKey };
    embedded = await startEmbeddedPostgres(config.dataDir, (line) => print(`${line}\n`));
  }
  const url = config.databaseUrl ?? embedded!.url;
  try {
    // A database that is still starting (or briefly away) is waited for; wrong credentials, a
    // missing database or a changed migration stop start-up at once.
    await retrying(
      () => migrateDatabase(url),
      (error) => isTransientDatabaseError(error) && !isFatalDatabaseError(error),
      (_, delayMs) => print(`database not reachable yet; retrying in ${delayMs} ms\n`),
    );
    const app = await createApp(config, { url, stopServer: embedded?.stop });
    const secret = servesApi(config) ? await app.get(BootstrapKeyService).ensureAdminKey() : undefined;
    await app.listen(config.port);
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    if (secret) print(firstStartMessage(secret, port));
    return { app, port };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

function firstStartMessage(secret: string, port: number): string {
  return [
    '',
    'Runloom created a "default" group and an admin API key. It is shown only this once:',
    '',
    `  ${secret}`,
    '',
    'Try it:',
    `  curl -H "X-API-Key: ${secret}" http://localhost:${port}/v1/workflows`,
    `API docs: http://localhost:${port}/docs`,
    `Console:  http://localhost:${port}/console (sign in with the key above)`,
    '',
    '',
  ].join('\n');
}
