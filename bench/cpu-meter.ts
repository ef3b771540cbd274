/**
 * CPU spent between two readings by the server process and by the PostgreSQL backends of one
 * database (pg_stat_activity's pids, read from /proc: the database server must run on this
 * machine). A backend seen at both readings counts its difference; one that appeared in between
 * counts all it has used, as it began after the first reading; one that exited in between took
 * its CPU since the first reading with it, so it is counted as exited rather than guessed at.
 * Pools filled before the first reading (sync-floors.ts, database-ceiling.ts) keep that count at
 * 0 where it matters; an idle pool connection closed meanwhile loses only its exit. Backends whose
 * /proc is unreadable, or not a PostgreSQL process (the database on another machine), make the
 * figure unavailable rather than wrong.
 */
import pg from 'pg';
import { readProcessCpu } from './process-stats.js';

export interface BackendsReading {
  cpuMsByPid: Map<number, number>;
  unreadable: number;
}

export interface BackendsSpent {
  cpuMs: number;
  kept: number;
  appeared: number;
  exited: number;
  unreadable: number;
}

export interface CpuSpent {
  serverMs: number;
  database: BackendsSpent;
}

/** The backends of `database` other than the client's own. */
export async function readBackends(client: pg.ClientBase, database: string): Promise<BackendsReading> {
  const { rows } = await client.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [database],
  );
  const reading: BackendsReading = { cpuMsByPid: new Map(), unreadable: 0 };
  for (const { pid } of rows) {
    const process = await readProcessCpu(pid);
    if (process?.command === 'postgres') reading.cpuMsByPid.set(pid, process.cpuMs);
    else reading.unreadable++;
  }
  return reading;
}

export function backendsSpent(before: BackendsReading, after: BackendsReading): BackendsSpent {
  const spent = { cpuMs: 0, kept: 0, appeared: 0, exited: 0, unreadable: before.unreadable + after.unreadable };
  for (const [pid, cpuMs] of after.cpuMsByPid) {
    const earlier = before.cpuMsByPid.get(pid);
    spent.cpuMs += cpuMs - (earlier ?? 0);
    if (earlier === undefined) spent.appeared++;
    else spent.kept++;
  }
  for (const pid of before.cpuMsByPid.keys()) if (!after.cpuMsByPid.has(pid)) spent.exited++;
  return spent;
}

async function serverCpuMs(pid: number): Promise<number> {
  const process = await readProcessCpu(pid);
  if (!process) throw new Error(`the server (pid ${pid}) has exited`);
  return process.cpuMs;
}

/** Runs `work` between two readings of the server's CPU and that of the database's backends. */
export async function meterCpu<T>(
  target: { serverPid: number; databaseUrl: string },
  work: () => Promise<T>,
): Promise<{ value: T; cpu: CpuSpent }> {
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    const database = (await client.query<{ name: string }>('SELECT current_database() AS name')).rows[0].name;
    const before = { serverMs: await serverCpuMs(target.serverPid), backends: await readBackends(client, database) };
    const value = await work();
    const backends = await readBackends(client, database);
    const serverMs = (await serverCpuMs(target.serverPid)) - before.serverMs;
    return { value, cpu: { serverMs, database: backendsSpent(before.backends, backends) } };
  } finally {
    await client.end();
  }
}
