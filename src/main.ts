import { ConfigError, loadConfig } from './config/app-config.js';
import { surviveDatabaseOutages } from './database/outage-guard.js';
import { startServer } from './server.js';

surviveDatabaseOutages();
startServer(loadConfig(), (text) => process.stdout.write(text)).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Runloom failed to start: ${String(error)}`);
  process.exit(1);
});
