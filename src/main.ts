import { createApp } from './app.js';
import { BootstrapKeyService } from './auth/bootstrap-key.service.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';
import { migrateDatabase } from './database/migrate.js';

async function main(): Promise<void> {
  const config = loadConfig();
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    embedded = await startEmbeddedPostgres(config.dataDir, (line) => console.error(line));
  }
  const url = config.databaseUrl ?? embedded!.url;
  await migrateDatabase(url);
  const app = await createApp(config, { url, stopServer: embedded?.stop });
  const secret = await app.get(BootstrapKeyService).ensureAdminKey();
  await app.listen(config.port);
  if (secret) printFirstStartKey(secret, config.port);
}

function printFirstStartKey(secret: string, port: number): void {
  process.stdout.write(
    [
      '',
      'Runloom created a "default" group and an admin API key. It is shown only this once:',
      '',
      `  ${secret}`,
      '',
      'Try it:',
      `  curl -H "X-API-Key: ${secret}" http://localhost:${port}/v1/workflows`,
      `API docs: http://localhost:${port}/docs`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Runloom failed to start:', error);
  }
  process.exit(1);
});
