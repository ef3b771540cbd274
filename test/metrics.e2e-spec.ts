import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { createWorkflow } from './support/workflows.js';

/** The value of one series in a Prometheus text exposition, or 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((pair) => line.includes(pair))) return Number(line.split(' ').at(-1));
  }
  return 0;
}

/**
 * Prometheus' naming rules, as `promtool check metrics` applies them: snake_case names with HELP,
 * `_total` for counters and only for counters, base units, no reserved histogram suffixes.
 */
function namingProblems(text: string): string[] {
  const problems: string[] = [];
  const helped = new Set([...text.matchAll(/^# HELP (\S+) \S/gm)].map((match) => match[1]));
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) problems.push(`${name}: not snake_case`);
    if (!helped.has(name)) problems.push(`${name}: no HELP`);
    if (type === 'counter' && !name.endsWith('_total')) problems.push(`${name}: a counter without _total`);
    if (type !== 'counter' && name.endsWith('_total')) problems.push(`${name}: a ${type} named _total`);
    if (/_(milliseconds|millis|ms|minutes|hours|kilobytes|megabytes)(_|$)/.test(name))
      problems.push(`${name}: not a base unit`);
    if (type !== 'histogram' && type !== 'summary' && /_(count|sum|bucket)$/.test(name)) {
      problems.push(`${name}: reserved suffix`);
    }
  }
  return problems;
}

function hasPromtool(): boolean {
  return spawnSync('promtool', ['--version']).status === 0;
}

describe('/metrics', () => {
  let t: TestApp;
  const scrape = async () => (await t.http.get('/metrics')).text;
  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'api' });
  });
  afterAll(() => t.close());

  it('is Prometheus text, without a key', async () => {
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toContain('# TYPE runloom_http_requests_total counter');
  });

  it('counts requests refused because the database was away from 0, so rate() sees the first', async () => {
    expect(await scrape()).toMatch(/^runloom_database_refusals_total 0$/m);
  });

  it('follows the Prometheus naming rules (no gauge named *_total)', async () => {
    const text = await scrape();
    expect(text).toContain('# TYPE runloom_nodejs_active_handles gauge');
    expect(namingProblems(text)).toEqual([]);
  });

  (hasPromtool() ? it : it.skip)('passes promtool check metrics (when promtool is installed)', async () => {
    const result = spawnSync('promtool', ['check', 'metrics'], { input: await scrape(), encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
  });

  it('counts HTTP requests by route pattern, never by raw path', async () => {
    const workflow = await createWorkflow(t.http);
    const before = sample(await scrape(), 'runloom_http_requests_total', {
      method: 'GET',
      route: '/v1/workflows/:workflow_id',
      status: '200',
    });
    for (let i = 0; i < 3; i++) await t.http.get(`/v1/workflows/${workflow.id}`).set('X-API-Key', ADMIN_KEY);
    await t.http.get('/v1/workflows/00000000-0000-4000-8000-000000000000').set('X-API-Key', ADMIN_KEY);
    const text = await scrape();
    expect(
      sample(text, 'runloom_http_requests_total', {
        method: 'GET',
        route: '/v1/workflows/:workflow_id',
        status: '200',
      }),
    ).toBe(before + 3);
    expect(sample(text, 'runloom_http_requests_total', { route: '/v1/workflows/:workflow_id', status: '404' })).toBe(1);
    expect(text).not.toContain(workflow.id);
  });

  it('moves when runs happen: runs by status, run and node durations', async () => {
    const workflow = await createWorkflow(t.http);
    const before = sample(await scrape(), 'runloom_runs_finished_total', { status: 'completed', mode: 'sync' });
    await t.http
      .post(`/v1/workflows/${workflow.id}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: { 'User Question': 'm' } });
    const text = await scrape();
    expect(sample(text, 'runloom_runs_finished_total', { status: 'completed', mode: 'sync' })).toBe(before + 1);
    expect(sample(text, 'runloom_run_duration_seconds_count', { status: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'runloom_node_duration_seconds_count', { node_type: 'TextTemplateNode', status: 'completed' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('reports queue depth and lag (no worker runs here, so queued runs wait)', async () => {
    const workflow = await createWorkflow(t.http);
    for (let i = 0; i < 3; i++) {
      await t.http
        .post(`/v1/workflows/${workflow.id}/runs`)
        .set('X-API-Key', ADMIN_KEY)
        .send({ input: { 'User Question': 'q' } });
    }
    const text = await waitFor(async () => {
      const scraped = await scrape();
      return sample(scraped, 'runloom_queue_lag_seconds') >= 1 ? scraped : undefined;
    }, 5_000);
    expect(sample(text, 'runloom_queue_depth')).toBeGreaterThanOrEqual(3);
  });
});

describe('/metrics with callbacks', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await createTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '100ms' });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('counts callback attempts by outcome', async () => {
    receiver.respond('/down', () => ({ status: 503 }));
    const workflow = await createWorkflow(t.http);
    const run = (path: string) =>
      t.http
        .post(`/v1/workflows/${workflow.id}/runs/sync`)
        .set('X-API-Key', ADMIN_KEY)
        .send({ input: { 'User Question': 'cb' }, callback_url: receiver.url(path) });
    await run('/up');
    await run('/down');
    await receiver.waitFor('/up', 1);
    await receiver.waitFor('/down', 2);
    const attemptsBy = (text: string, outcome: string) => sample(text, 'runloom_callback_attempts_total', { outcome });
    const text = await waitFor(async () => {
      const scraped = (await t.http.get('/metrics')).text;
      return ['delivered', 'retry', 'gave_up'].every((outcome) => attemptsBy(scraped, outcome) > 0)
        ? scraped
        : undefined;
    }, 5_000);
    expect(sample(text, 'runloom_callback_attempts_total', { outcome: 'delivered' })).toBe(1);
    expect(sample(text, 'runloom_callback_attempts_total', { outcome: 'retry' })).toBe(1);
    expect(sample(text, 'runloom_callback_attempts_total', { outcome: 'gave_up' })).toBe(1);
  });
});
