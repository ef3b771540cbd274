/**
 * The raw PostgreSQL ceiling for one run: insert a run row, then update it with its result, via
 * `pg` at the same concurrency as the HTTP benchmark. No run can be recorded faster than this.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { meterCpu, type CpuSpent } from './cpu-meter.js';

export interface CeilingFigures {
  opsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  completed: number;
  cpu: CpuSpent;
}

export async function measureCeiling(
  target: { serverPid: number; databaseUrl: string; workflow: { id: string; groupId: string } },
  connections: number,
  durationMs: number,
): Promise<CeilingFigures> {
  const { workflow } = target;
  // Connected before the first CPU reading and never closed while idle: the backends read at both ends are the same.
  const pool = new pg.Pool({ connectionString: target.databaseUrl, max: connections, idleTimeoutMillis: 0 });
  const clients = await Promise.all(Array.from({ length: connections }, () => pool.connect()));
  for (const client of clients) client.release();
  const latencies: number[] = [];
  const definition = JSON.stringify({ nodes: [], edges: [] });
  async function worker(deadline: number): Promise<void> {
    while (Date.now() < deadline) {
      const started = performance.now();
      const id = randomUUID();
      await pool.query(
        `INSERT INTO runs (id, group_id, workflow_id, definition, status, mode, input)
         VALUES ($1, $2, $3, $4::jsonb, 'running', 'sync', $5::jsonb)`,
        [id, workflow.groupId, workflow.id, definition, JSON.stringify({ 'User Question': 'bench' })],
      );
      await pool.query(
        `UPDATE runs SET status = 'completed', output = $2::jsonb, progress = 100, finished_at = now() WHERE id = $1`,
        [id, JSON.stringify({ Answer: 'bench — ' })],
      );
      latencies.push(performance.now() - started);
    }
  }
  try {
    const { value: elapsed, cpu } = await meterCpu(target, async () => {
      const began = Date.now();
      await Promise.all(Array.from({ length: connections }, () => worker(began + durationMs)));
      return (Date.now() - began) / 1000;
    });
    latencies.sort((a, b) => a - b);
    return {
      opsPerSecond: latencies.length / elapsed,
      p50Ms: latencies[Math.floor(latencies.length * 0.5)],
      p95Ms: latencies[Math.floor(latencies.length * 0.95)],
      p99Ms: latencies[Math.floor(latencies.length * 0.99)],
      completed: latencies.length,
      cpu,
    };
  } finally {
    await pool.end();
  }
}
