import pg from 'pg';

/**
 * Samples what the active backends of `database` wait on (pg_stat_activity every 10 ms, `cpu` when
 * they wait on nothing) until `stop`, which resolves with the number of samples of each wait.
 * `url` is any database on the same server.
 */
export function sampleBackendWaits(url: string, database: string): { stop: () => Promise<Record<string, number>> } {
  const waits: Record<string, number> = {};
  let sampling = true;
  const sampler = (async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    while (sampling) {
      const rows = await client.query<{ w: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'cpu') AS w FROM pg_stat_activity
         WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid()`,
        [database],
      );
      for (const { w } of rows.rows) waits[w] = (waits[w] ?? 0) + 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await client.end();
  })();
  return {
    stop: async () => {
      sampling = false;
      await sampler;
      return waits;
    },
  };
}
