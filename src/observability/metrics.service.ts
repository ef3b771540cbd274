import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DatabaseAvailability } from '../database/database-availability.js';
import { PG_POOL, type PgPool } from '../database/database.tokens.js';

const PURGED_TABLES = ['runs', 'node_runs', 'run_events', 'callback_attempts', 'idempotency_keys'];
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * Prometheus metrics. Labels are bounded sets (status, mode, node type, route pattern, outcome):
 * never a run, workflow or group id, so series cannot explode.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly runsFinished = new Counter({
    name: 'runloom_runs_finished_total',
    help: 'Runs that reached a final status, by status and mode.',
    labelNames: ['status', 'mode'] as const,
    registers: [this.registry],
  });

  private readonly runDuration = new Histogram({
    name: 'runloom_run_duration_seconds',
    help: 'From a run starting to its final status.',
    labelNames: ['status'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  private readonly nodeDuration = new Histogram({
    name: 'runloom_node_duration_seconds',
    help: 'Node executions, by node type and outcome.',
    labelNames: ['node_type', 'status'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  private readonly callbackAttempts = new Counter({
    name: 'runloom_callback_attempts_total',
    help: 'Callback delivery attempts, by outcome (delivered, retry, gave_up, refused).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly httpRequests = new Counter({
    name: 'runloom_http_requests_total',
    help: 'HTTP requests, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'runloom_http_request_duration_seconds',
    help: 'HTTP request durations, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  private readonly runsParked = new Counter({
    name: 'runloom_runs_parked_total',
    help: 'Times a run parked in a durable wait (WaitNode, SignalNode, a long DelayNode), by mode.',
    labelNames: ['mode'] as const,
    registers: [this.registry],
  });

  private readonly handedOffWaiting = new Gauge({
    name: 'runloom_handed_off_runs_waiting',
    help: 'Async runs handed off to this instance that wait here for their turn: queued, but out of runloom_queue_depth until their job falls due.',
    registers: [this.registry],
  });

  private readonly purgedRows = new Counter({
    name: 'runloom_purged_rows_total',
    help: 'Rows deleted by retention and run deletion (runs, node_runs, run_events, callback_attempts), and idempotency_keys freed.',
    labelNames: ['table'] as const,
    registers: [this.registry],
  });

  constructor(@Inject(PG_POOL) pool: PgPool, availability: DatabaseAvailability) {
    for (const table of PURGED_TABLES) this.purgedRows.inc({ table }, 0);
    collectDefaultMetrics({ register: this.registry, prefix: 'runloom_' });
    dropGaugesNamedLikeCounters(this.registry);
    new Counter({
      name: 'runloom_database_refusals_total',
      help: 'Requests answered 503 because the database was unreachable (database-unavailable, run-outcome-unknown).',
      registers: [this.registry],
      // DatabaseAvailability keeps the count, since the line that ends an outage reports it too.
      collect() {
        this.reset();
        this.inc(availability.refusals);
      },
    });
    new Gauge({
      name: 'runloom_queue_depth',
      help: 'Queued jobs ready to run and not yet taken by a worker.',
      registers: [this.registry],
      async collect() {
        this.set(await queueFigure(pool, 'count(*)'));
      },
    });
    new Gauge({
      name: 'runloom_runs_waiting',
      help: 'Runs parked in a durable wait now, in every group (they hold no slot, lease or connection).',
      registers: [this.registry],
      async collect() {
        this.set(await waitingRuns(pool));
      },
    });
    new Gauge({
      name: 'runloom_queue_lag_seconds',
      help: 'How long the oldest ready job has waited for a worker (0 when none waits).',
      registers: [this.registry],
      async collect() {
        this.set(await queueFigure(pool, 'COALESCE(extract(epoch FROM now() - min(run_at)), 0)'));
      },
    });
  }

  runFinished(status: string, mode: string, durationMs: number | null): void {
    this.runsFinished.inc({ status, mode });
    if (durationMs !== null) this.runDuration.observe({ status }, durationMs / 1000);
  }

  runParked(mode: string): void {
    this.runsParked.inc({ mode });
  }

  nodeFinished(nodeType: string, status: string, durationMs: number): void {
    this.nodeDuration.observe({ node_type: nodeType, status }, durationMs / 1000);
  }

  callbackAttempt(outcome: 'delivered' | 'retry' | 'gave_up' | 'refused'): void {
    this.callbackAttempts.inc({ outcome });
  }

  handedOffRunsWaiting(count: number): void {
    this.handedOffWaiting.set(count);
  }

  rowsPurged(table: string, count: number): void {
    if (count > 0) this.purgedRows.inc({ table }, count);
  }

  httpRequest(method: string, route: string, status: number, durationMs: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ method, route }, durationMs / 1000);
  }
}

/**
 * prom-client's defaults include gauges named `*_total` (`nodejs_active_handles_total`, …), which
 * Prometheus' naming rules (`promtool check metrics`) keep for counters. Each is the sum of a
 * per-type gauge kept beside it (`nodejs_active_handles{type}`), so nothing is lost.
 */
function dropGaugesNamedLikeCounters(registry: Registry): void {
  for (const metric of registry.getMetricsAsArray()) {
    if (metric instanceof Gauge && metric.name.endsWith('_total')) registry.removeSingleMetric(metric.name);
  }
}

/** Read from the (status, lease_expires_at) index; 0 while the database does not answer. */
async function waitingRuns(pool: PgPool): Promise<number> {
  try {
    const result = await pool.query<{ value: number }>(
      `SELECT count(*)::int AS value FROM runs WHERE status = 'waiting'`,
    );
    return result.rows[0].value;
  } catch {
    return 0;
  }
}

/** A figure over ready, unlocked jobs; 0 if the queue's schema is not there. */
async function queueFigure(pool: PgPool, expression: string): Promise<number> {
  try {
    const result = await pool.query<{ value: string }>(
      `SELECT ${expression} AS value FROM graphile_worker.jobs WHERE locked_at IS NULL AND run_at <= now() AND attempts < max_attempts`,
    );
    return Number(result.rows[0].value);
  } catch {
    return 0;
  }
}
