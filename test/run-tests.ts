/**
 * `npm test`: prepares PostgreSQL once, then runs jest. The server is DATABASE_URL's when set (CI
 * runs the e2e suite against the machine's PostgreSQL), otherwise a throw-away embedded one.
 * A template database is migrated once; each test file copies it (CREATE DATABASE … TEMPLATE),
 * which isolates files without re-migrating. Arguments are passed on to jest. Without arguments
 * (the whole suite) the files of test/alone.txt, which bound latencies or load the machine on
 * purpose, run one at a time after the rest has run on two workers.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { migrateDatabase } from '../src/database/migrate.js';
import { databaseUrlFor, TEST_ENV } from './support/test-database.js';

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

function runJest(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const jest = path.resolve('node_modules/jest/bin/jest.js');
  const child = spawn(process.execPath, ['--experimental-vm-modules', jest, ...args], { stdio: 'inherit', env });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

/** The whole suite: the files that must have the machine to themselves after the rest. */
async function runWholeSuite(env: NodeJS.ProcessEnv): Promise<number> {
  const alone = (await readFile('test/alone.txt', 'utf8'))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const together = await runJest(
    ['--maxWorkers=2', '--testPathIgnorePatterns', ...alone.map((file) => `/${file}`)],
    env,
  );
  const oneByOne = await runJest(['--runInBand', ...alone.map((file) => `/${file}`)], env);
  return together || oneByOne;
}

async function main(): Promise<number> {
  let serverUrl = process.env.DATABASE_URL;
  let embedded: { stop: () => Promise<void>; dataDir: string } | undefined;
  if (!serverUrl) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'runloom-test-'));
    await chmod(dataDir, 0o755); // the embedded server runs as the `postgres` user
    const server = await startEmbeddedPostgres(dataDir, (line) => console.error(line));
    serverUrl = server.url;
    embedded = { stop: server.stop, dataDir };
  }
  const template = `runloom_tpl_${process.pid}_${Date.now()}`;
  try {
    await onServer(serverUrl, `CREATE DATABASE ${template}`);
    await migrateDatabase(databaseUrlFor(serverUrl, template));
    const env = { ...process.env, [TEST_ENV.serverUrl]: serverUrl, [TEST_ENV.template]: template };
    const args = process.argv.slice(2);
    return await (args.length === 0 ? runWholeSuite(env) : runJest(args, env));
  } finally {
    await onServer(serverUrl, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
    if (embedded) {
      await embedded.stop();
      await rm(embedded.dataDir, { recursive: true, force: true });
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
