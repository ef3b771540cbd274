import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';

/**
 * A database for one benchmark, dropped by `cleanup`: a fresh one named `<prefix>_<time>` on
 * DATABASE_URL's server when that is set, else a throw-away embedded PostgreSQL.
 */
export async function scratchDatabase(
  prefix: string,
): Promise<{ url: string; cleanup: () => Promise<void>; kind: string }> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `${prefix}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const drop = async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
    return { url: url.toString(), cleanup: drop, kind: `server at ${new URL(serverUrl).host}` };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), `${prefix.replace(/_/g, '-')}-`));
  await chmod(dataDir, 0o755);
  const embedded = await startEmbeddedPostgres(dataDir, (line) => console.error(line));
  return {
    url: embedded.url,
    kind: 'embedded',
    cleanup: async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
