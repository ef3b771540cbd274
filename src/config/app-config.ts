/**
 * Runloom's configuration, read from the environment once at boot (every variable is listed in
 * the README's Configuration section and docs/configuration.md). Nothing else in the code reads `process.env`; everything
 * receives this typed object.
 */
import { availableParallelism } from 'node:os';
import { parseDurationList } from './durations.js';
import { GROUP_LIMITS, type GroupLimitValues } from './group-limits.js';
import { parseSecretsKey } from './secrets-key.js';

export type Role = 'api' | 'worker' | 'all';

/** SANDBOX_WORKERS when unset: the code sandbox's worker threads. */
export const DEFAULT_SANDBOX_WORKERS = Math.min(8, Math.max(4, availableParallelism()));
/** By default a group may keep at most half the CPU cores busy. */
export const DEFAULT_SANDBOX_WORKERS_PER_GROUP = Math.max(1, Math.floor(availableParallelism() / 2));

/** `api` and `all` serve the HTTP API. */
export function servesApi(config: Pick<AppConfig, 'role'>): boolean {
  return config.role !== 'worker';
}

/** `worker` and `all` take work from the queues (runs, callbacks) and reap dead instances. */
export function worksQueues(config: Pick<AppConfig, 'role'>): boolean {
  return config.role !== 'api';
}

export interface AppConfig {
  port: number;
  /** Unset means: start the embedded PostgreSQL in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  bootstrapApiKey: string | undefined;
  role: Role;
  syncRunTimeoutMs: number;
  outboundAllowPrivate: boolean;
  webhookRetryScheduleMs: number[];
  llmBaseUrl: string | undefined;
  llmApiKey: string | undefined;
  /** The model TextGenerationNode uses when its config names none. */
  llmModel: string | undefined;
  otelExporterOtlpEndpoint: string | undefined;
  rateLimitPerMinute: number;
  maxBodyBytes: number;
  /** The largest webhook delivery a trigger takes (TRIGGER_MAX_BODY_BYTES); larger ones are answered 413. */
  triggerMaxBodyBytes: number;
  logLevel: string;
  /** How often an idle event stream sends a comment line, so proxies keep it open. */
  sseHeartbeatMs: number;
  /** Browser origins (`https://app.example.com`) granted CORS; empty grants none. */
  corsOrigins: string[];
  /** Where people and other systems reach this API (`https://runloom.example.com`), for absolute resume links; unset gives paths. */
  publicUrl: string | undefined;
  /** 32-byte AES-256-GCM key for group secrets; with the embedded database it is generated into DATA_DIR if unset. */
  secretsKey: Buffer | undefined;
  /** Finished runs older than this many days are purged; 0 keeps everything. */
  runRetentionDays: number;
  /** Audit events older than this many days are purged; 0 keeps everything. */
  auditRetentionDays: number;
  /** The largest value (run input, node output, run output) as UTF-8 JSON. */
  maxValueBytes: number;
  /** The server maximum for a node's `timeout_ms` (CodeNode, TransformNode, ConditionNode). */
  userCodeMaxTimeoutMs: number;
  /** Worker threads running user code. */
  sandboxWorkers: number;
  /** Sandbox workers one group may hold at once. */
  sandboxWorkersPerGroup: number;
  /** Queued runs of one group a worker instance executes at once (of its 16 slots). */
  queueSlotsPerGroup: number;
  /** Event streams one API key may hold open at once. */
  maxStreamsPerKey: number;
  /** Failed authentications one client address may make per minute before 429. */
  authFailuresPerMinute: number;
  /** A request body must arrive within this long, else 408. */
  bodyTimeoutMs: number;
  /** Connections of the instance's main pool (requests, run writes); queues have their own small pools. */
  databasePoolMax: number;
  /** Claims of one run before it fails with `attempts_exhausted`. */
  maxRunAttempts: number;
  /** Child runs one root run's tree may create in all (maps and sub-workflows at every depth). */
  maxDescendantRuns: number;
  /** The deployment's default for each per-group limit (group-limits.ts); a group may override them. */
  groupLimits: GroupLimitValues;
}

export const DEFAULT_MAX_VALUE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_DESCENDANT_RUNS = 10_000;

export const MAX_SYNC_RUN_TIMEOUT_MS = 120_000;
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,14h,20h,24h';
const API_KEY_PATTERN = /^rl_[A-Za-z0-9]{32,}$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Raised for any invalid variable; its message is the one line printed before exiting. */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

function boolean(env: Env, name: string): boolean {
  const raw = read(env, name)?.toLowerCase();
  if (raw === undefined || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be a URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
  }
  return raw;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = read(env, name) ?? fallback;
  if (!allowed.includes(raw as T)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const bootstrapApiKey = read(env, 'BOOTSTRAP_API_KEY');
  if (bootstrapApiKey !== undefined && !API_KEY_PATTERN.test(bootstrapApiKey)) {
    throw new ConfigError('BOOTSTRAP_API_KEY', 'must look like rl_ followed by at least 32 letters or digits');
  }
  const schedule = read(env, 'WEBHOOK_RETRY_SCHEDULE') ?? DEFAULT_WEBHOOK_RETRY_SCHEDULE;
  let webhookRetryScheduleMs: number[];
  try {
    webhookRetryScheduleMs = parseDurationList(schedule);
  } catch (error) {
    throw new ConfigError('WEBHOOK_RETRY_SCHEDULE', (error as Error).message);
  }
  const bodyLimit = read(env, 'MAX_BODY_SIZE') ?? '2mb';
  const maxBodyBytes = parseByteSize(bodyLimit);
  if (maxBodyBytes === undefined) {
    throw new ConfigError('MAX_BODY_SIZE', `must be a size such as 2mb or 512kb (got "${bodyLimit}")`);
  }
  const sandboxWorkers = integer(env, 'SANDBOX_WORKERS', DEFAULT_SANDBOX_WORKERS, 1, 64);
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    databaseUrl: url(env, 'DATABASE_URL', ['postgresql:', 'postgres:']),
    dataDir: read(env, 'DATA_DIR') ?? '.data',
    bootstrapApiKey,
    role: oneOf(env, 'ROLE', ['api', 'worker', 'all'] as const, 'all'),
    syncRunTimeoutMs: integer(env, 'SYNC_RUN_TIMEOUT_MS', MAX_SYNC_RUN_TIMEOUT_MS, 1, MAX_SYNC_RUN_TIMEOUT_MS),
    outboundAllowPrivate: boolean(env, 'OUTBOUND_ALLOW_PRIVATE'),
    webhookRetryScheduleMs,
    llmBaseUrl: url(env, 'LLM_BASE_URL', ['http:', 'https:']),
    llmApiKey: read(env, 'LLM_API_KEY'),
    llmModel: read(env, 'LLM_MODEL'),
    otelExporterOtlpEndpoint: url(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']),
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 6000, 0, 10_000_000),
    maxBodyBytes,
    triggerMaxBodyBytes: integer(env, 'TRIGGER_MAX_BODY_BYTES', 1024 * 1024, 1, 100 * 1024 * 1024),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    sseHeartbeatMs: integer(env, 'SSE_HEARTBEAT_MS', 15_000, 100, 600_000),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    publicUrl: url(env, 'PUBLIC_URL', ['http:', 'https:'])?.replace(/\/+$/, ''),
    secretsKey: secretsKey(env),
    runRetentionDays: integer(env, 'RUN_RETENTION_DAYS', 30, 0, 36_500),
    auditRetentionDays: integer(env, 'AUDIT_RETENTION_DAYS', 365, 0, 36_500),
    maxValueBytes: integer(env, 'MAX_VALUE_BYTES', DEFAULT_MAX_VALUE_BYTES, 1024, 256 * 1024 * 1024),
    userCodeMaxTimeoutMs: integer(env, 'USER_CODE_MAX_TIMEOUT_MS', 30_000, 10, 300_000),
    sandboxWorkers,
    sandboxWorkersPerGroup: integer(
      env,
      'SANDBOX_WORKERS_PER_GROUP',
      Math.min(DEFAULT_SANDBOX_WORKERS_PER_GROUP, sandboxWorkers),
      1,
      sandboxWorkers,
    ),
    queueSlotsPerGroup: integer(env, 'QUEUE_SLOTS_PER_GROUP', 8, 1, 16),
    maxStreamsPerKey: integer(env, 'MAX_STREAMS_PER_KEY', 50, 1, 100_000),
    authFailuresPerMinute: integer(env, 'AUTH_FAILURES_PER_MINUTE', 30, 0, 1_000_000),
    bodyTimeoutMs: integer(env, 'BODY_TIMEOUT_MS', 10_000, 100, 600_000),
    databasePoolMax: integer(env, 'DATABASE_POOL_MAX', 10, 2, 1000),
    maxRunAttempts: integer(env, 'MAX_RUN_ATTEMPTS', 3, 1, 100),
    maxDescendantRuns: integer(env, 'MAX_DESCENDANT_RUNS', DEFAULT_MAX_DESCENDANT_RUNS, 1, 1_000_000),
    groupLimits: groupLimitDefaults(env),
  };
}

function groupLimitDefaults(env: Env): GroupLimitValues {
  return Object.fromEntries(
    GROUP_LIMITS.map((limit) => [limit.name, integer(env, limit.env, limit.default, limit.min, limit.max)]),
  ) as GroupLimitValues;
}

function secretsKey(env: Env): Buffer | undefined {
  const raw = read(env, 'SECRETS_KEY');
  if (raw === undefined) return undefined;
  const key = parseSecretsKey(raw);
  if (!key) throw new ConfigError('SECRETS_KEY', 'must be 32 bytes written as 64 hex digits or as base64');
  return key;
}

/** A comma list of exact origins: scheme, host and port, nothing else (that is what browsers send). */
function origins(env: Env, name: string): string[] {
  const list = (read(env, name) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  for (const origin of list) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError(
        name,
        `must list origins such as https://app.example.com, comma-separated (got "${origin}")`,
      );
    }
  }
  return list;
}

function parseByteSize(raw: string): number | undefined {
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(raw);
  if (!match) return undefined;
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  return Number(match[1]) * unit;
}
