import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../src/config/app-config.js';
import { startServer } from '../src/server.js';
import { createTestDatabase } from './support/test-database.js';

// What `npm ci && npm start` does on a fresh machine: embedded PostgreSQL, first-start key, /docs.
describe('first start on the embedded database', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'runloom-first-start-'));
    await chmod(dataDir, 0o755);
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  async function start(): Promise<{ output: string; base: string; close: () => Promise<void> }> {
    let output = '';
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
    const server = await startServer(config, (text) => (output += text));
    return { output, base: `http://127.0.0.1:${server.port}`, close: () => server.app.close() };
  }

  it('prints an admin key once with a curl line, serves /docs, and keeps data across restarts', async () => {
    const first = await start();
    const key = /\s(rl_[A-Za-z0-9]{40})\s/.exec(first.output)?.[1];
    expect(key).toBeDefined();
    expect(first.output).toContain(
      `curl -H "X-API-Key: ${key}" ${first.base.replace('127.0.0.1', 'localhost')}/v1/workflows`,
    );
    expect((await fetch(`${first.base}/docs`)).status).toBe(200);
    expect(first.output).toContain(`${first.base.replace('127.0.0.1', 'localhost')}/console`);
    expect((await fetch(`${first.base}/console/`)).status).toBe(200);
    const docs = (await (await fetch(`${first.base}/docs-json`)).json()) as {
      components: { securitySchemes: Record<string, { name: string; in: string }> };
    };
    expect(docs.components.securitySchemes['api-key']).toMatchObject({ name: 'X-API-Key', in: 'header' });
    const created = await fetch(`${first.base}/v1/groups`, {
      method: 'POST',
      headers: { 'X-API-Key': key!, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'survives-restart' }),
    });
    expect(created.status).toBe(201);
    expect(first.output).toContain(`generated a secrets key in ${path.join(dataDir, 'secrets.key')} (mode 0600)`);
    const json = { 'X-API-Key': key!, 'Content-Type': 'application/json' };
    const secret = await fetch(`${first.base}/v1/secrets/GREETING`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ value: 'hello-from-the-vault' }),
    });
    expect(secret.status).toBe(201);
    await first.close();

    const second = await start();
    expect(second.output).not.toMatch(/rl_[A-Za-z0-9]{40}/);
    expect(second.output).not.toContain('secrets key');
    // The secret stored before the restart still opens with the key read back from DATA_DIR.
    const workflow = await fetch(`${second.base}/v1/workflows`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        name: 'greets',
        definition: {
          nodes: [{ id: 't', type: 'TextTemplateNode', config: { template: '((secrets.GREETING))' } }],
          edges: [],
        },
      }),
    }).then((res) => res.json() as Promise<{ id: string }>);
    const run = await fetch(`${second.base}/v1/workflows/${workflow.id}/runs/sync`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ input: {}, node_ids: ['t'] }),
    }).then((res) => res.json() as Promise<{ status: string; output: unknown }>);
    expect(run).toMatchObject({ status: 'completed', output: { t: { text: '[secret:GREETING]' } } });
    const groups = await fetch(`${second.base}/v1/groups`, { headers: { 'X-API-Key': key! } });
    expect(groups.status).toBe(200);
    const body = (await groups.json()) as { items: { name: string }[] };
    expect(body.items.map((g) => g.name)).toContain('survives-restart');
    await second.close();
  }, 60_000);
});

describe('ROLE=worker', () => {
  it('serves health checks only, and creates no key', async () => {
    const db = await createTestDatabase();
    let output = '';
    const config = loadConfig({ DATABASE_URL: db.url, ROLE: 'worker', PORT: '0', LOG_LEVEL: 'silent' });
    const server = await startServer(config, (text) => (output += text));
    const base = `http://127.0.0.1:${server.port}`;
    try {
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);
      expect((await fetch(`${base}/v1/workflows`)).status).toBe(404);
      expect((await fetch(`${base}/docs-json`)).status).toBe(404);
      expect(output).not.toMatch(/rl_/);
    } finally {
      await server.app.close();
      await db.drop();
    }
  });
});

describe('BOOTSTRAP_API_KEY', () => {
  it('does not bring a revoked bootstrap key back on restart', async () => {
    const db = await createTestDatabase();
    const key = 'rl_RevokedBootstrapKey000000000000000000001';
    const start = () =>
      startServer(
        loadConfig({ DATABASE_URL: db.url, BOOTSTRAP_API_KEY: key, PORT: '0', LOG_LEVEL: 'silent' }),
        () => undefined,
      );
    try {
      const first = await start();
      const base = `http://127.0.0.1:${first.port}`;
      const keys = (await (await fetch(`${base}/v1/api-keys`, { headers: { 'X-API-Key': key } })).json()) as {
        items: { id: string; name: string }[];
      };
      const bootstrap = keys.items.find((item) => item.name === 'bootstrap')!;
      const revoked = await fetch(`${base}/v1/api-keys/${bootstrap.id}`, {
        method: 'DELETE',
        headers: { 'X-API-Key': key },
      });
      expect(revoked.status).toBeLessThan(300);
      await first.app.close();

      const second = await start();
      try {
        const res = await fetch(`http://127.0.0.1:${second.port}/v1/workflows`, { headers: { 'X-API-Key': key } });
        expect(res.status).toBe(401);
      } finally {
        await second.app.close();
      }
    } finally {
      await db.drop();
    }
  }, 60_000);
});
