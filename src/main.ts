import { ConfigError, loadConfig } from './config/app-config.js';
import { surviveDatabaseOutages } from './database/outage-guard.js';
import { endOfLifeWarning } from './node-support.js';
import { startServer } from './server.js';

const nodeWarning = endOfLifeWarning(process.versions.node, new Date());
if (nodeWarning) process.stderr.write(`${nodeWarning}\n`);

surviveDatabaseOutages();

// Configuration is read inside the chain so that an invalid variable ends start-up with its one
// line, not a stack trace.
Promise.resolve()
  .then(() => startServer(loadConfig(), (text) => process.stdout.write(text)))
  .catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `Runloom failed to start: ${String(error)}`);
    process.exit(1);
  });
