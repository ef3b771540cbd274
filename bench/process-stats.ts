/** What a process has used so far, read from /proc (Linux only). */
import { readFile } from 'node:fs/promises';

const TICKS_PER_SECOND = 100; // USER_HZ

/** The command name and user + system CPU time in ms, or undefined when /proc/<pid>/stat cannot be read. */
export async function readProcessCpu(pid: number): Promise<{ command: string; cpuMs: number } | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    cpuMs: (Number(fields[11]) + Number(fields[12])) * (1000 / TICKS_PER_SECOND),
  };
}

/** User and system CPU time, in ms; 0 once the process has exited. */
export async function cpuMs(pid: number): Promise<number> {
  return (await readProcessCpu(pid))?.cpuMs ?? 0;
}

/** Resident set size, in MiB. */
export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024;
}
