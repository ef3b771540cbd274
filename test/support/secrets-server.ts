import { randomBytes } from 'node:crypto';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { createTestDatabase } from './test-database.js';
import type { WebhookReceiver } from './webhook-receiver.js';

/**
 * A server process with group secrets on a fresh database, logging at debug level, allowed to call
 * `receiver` (a private address) and sending it its traces: everything a secret could leak through.
 */
export async function startSecretsServer(
  receiver: WebhookReceiver,
): Promise<{ server: ServerProcess; drop: () => Promise<void> }> {
  const database = await createTestDatabase();
  const server = await startServerProcess(database.url, {
    SECRETS_KEY: randomBytes(32).toString('base64'),
    OUTBOUND_ALLOW_PRIVATE: 'true',
    LOG_LEVEL: 'debug',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url(''),
  });
  return { server, drop: database.drop };
}
