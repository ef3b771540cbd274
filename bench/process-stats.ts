/** What a process has used so far, read from /proc (Linux only; 0 once it has exited). */
import { readFile } from 'node:fs/promises';

const TICKS_PER_SECOND = 100; // USER_HZ

/** User and system CPU time, in ms. */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * (1000 / TICKS_PER_SECOND);
}

/** Resident set size, in MiB. */
export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024;
}
