import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCli, type CliResult } from './support/cli.js';
import { ADMIN_KEY, createTestApp, type TestApp } from './support/test-app.js';
import { SEED_DEFINITION } from './support/workflows.js';

describe('runloom triggers', () => {
  let t: TestApp;
  let base: string;
  let home: string;
  const cli = async (...args: string[]) => {
    const result = await runCli(home, args, { env: { RUNLOOM_URL: base, RUNLOOM_API_KEY: ADMIN_KEY } });
    if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result;
  };
  const field = (result: CliResult, name: string) =>
    result.stdout
      .split('\n')
      .find((line) => line.startsWith(`${name} `))!
      .slice(name.length)
      .trim();

  beforeAll(async () => {
    t = await createTestApp({ SECRETS_KEY: 'd'.repeat(64) });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    home = await mkdtemp(path.join(tmpdir(), 'runloom-cli-triggers-'));
    const created = await t.http
      .post('/v1/workflows')
      .set('X-API-Key', ADMIN_KEY)
      .send({ name: 'hooked', slug: 'hooked', definition: SEED_DEFINITION });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('creates, lists, disables, rotates and deletes a trigger', async () => {
    const created = await cli(
      'triggers',
      'create',
      'hooked',
      '--name',
      'pushes',
      '--type',
      'github',
      '--mapping',
      '{ "User Question": body.message }',
    );
    expect(created.stderr).toContain('shown only this once');
    const id = field(created, 'id');
    const url = field(created, 'url');
    const secret = field(created, 'secret');
    expect(url).toMatch(new RegExp(`^${base}/v1/hooks/rlh_`));

    const body = JSON.stringify({ message: 'from the cli' });
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const delivered = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signature },
      body,
    });
    expect(delivered.status).toBe(202);
    const runs = await cli('runs', 'list', '--trigger-id', id);
    expect(runs.stdout.trim().split('\n')).toHaveLength(1);

    expect((await cli('triggers', 'list', 'hooked')).stdout).toMatch(
      new RegExp(`^${id}  enabled   github .* pushes$`, 'm'),
    );
    await cli('triggers', 'disable', id);
    expect((await cli('triggers', 'list', 'hooked')).stdout).toContain(`${id}  disabled`);
    await cli('triggers', 'enable', id);

    const rotated = await cli('triggers', 'rotate', id, '--secret');
    expect(rotated.stdout).not.toContain('url ');
    expect(field(rotated, 'secret')).not.toBe(secret);

    await cli('triggers', 'delete', id);
    expect((await cli('triggers', 'list', 'hooked')).stdout.trim()).toBe('No triggers.');
  });
});
