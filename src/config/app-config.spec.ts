import { describe, expect, it } from '@jest/globals';
import { ConfigError, DEFAULT_SANDBOX_WORKERS, DEFAULT_SANDBOX_WORKERS_PER_GROUP, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      databaseUrl: undefined,
      dataDir: '.data',
      bootstrapApiKey: undefined,
      role: 'all',
      syncRunTimeoutMs: 120_000,
      outboundAllowPrivate: false,
      webhookRetryScheduleMs: [5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 504e5, 72e6, 864e5],
      llmBaseUrl: undefined,
      llmApiKey: undefined,
      llmModel: undefined,
      otelExporterOtlpEndpoint: undefined,
      rateLimitPerMinute: 6000,
      maxBodyBytes: 2 * 1024 * 1024,
      triggerMaxBodyBytes: 1024 * 1024,
      logLevel: 'info',
      sseHeartbeatMs: 15_000,
      corsOrigins: [],
      secretsKey: undefined,
      runRetentionDays: 30,
      auditRetentionDays: 365,
      maxValueBytes: 10 * 1024 * 1024,
      userCodeMaxTimeoutMs: 30_000,
      sandboxWorkers: DEFAULT_SANDBOX_WORKERS,
      sandboxWorkersPerGroup: DEFAULT_SANDBOX_WORKERS_PER_GROUP,
      queueSlotsPerGroup: 8,
      maxStreamsPerKey: 50,
      authFailuresPerMinute: 30,
      bodyTimeoutMs: 10_000,
      databasePoolMax: 10,
      maxRunAttempts: 3,
      maxDescendantRuns: 10_000,
      groupLimits: { max_active_runs: 1000, max_schedules: 100, max_triggers: 100, max_schedule_ticks_per_minute: 600 },
    });
  });

  it('reads the per-group limits and names the variable of a bad one', () => {
    const config = loadConfig({
      MAX_ACTIVE_RUNS_PER_GROUP: '5',
      MAX_SCHEDULES_PER_GROUP: '0',
      MAX_SCHEDULE_TICKS_PER_MINUTE_PER_GROUP: '120',
    });
    expect(config.groupLimits).toEqual({
      max_active_runs: 5,
      max_schedules: 0,
      max_triggers: 100,
      max_schedule_ticks_per_minute: 120,
    });
    expect(() => loadConfig({ MAX_ACTIVE_RUNS_PER_GROUP: '-1' })).toThrow(
      'Invalid configuration: MAX_ACTIVE_RUNS_PER_GROUP must be a whole number from 0 to 1000000 (got "-1")',
    );
    expect(() => loadConfig({ MAX_SCHEDULES_PER_GROUP: 'many' })).toThrow(
      /^Invalid configuration: MAX_SCHEDULES_PER_GROUP /,
    );
  });

  it('reads SECRETS_KEY as 64 hex digits or as base64 of 32 bytes', () => {
    const key = Buffer.alloc(32, 7);
    expect(loadConfig({ SECRETS_KEY: key.toString('hex') }).secretsKey).toEqual(key);
    expect(loadConfig({ SECRETS_KEY: key.toString('base64') }).secretsKey).toEqual(key);
    expect(loadConfig({ RUN_RETENTION_DAYS: '0' }).runRetentionDays).toBe(0);
    expect(loadConfig({}).auditRetentionDays).toBe(365);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '0' }).auditRetentionDays).toBe(0);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u@db:5432/x',
      BOOTSTRAP_API_KEY: `rl_${'a'.repeat(32)}`,
      ROLE: 'worker',
      SYNC_RUN_TIMEOUT_MS: '5000',
      OUTBOUND_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_SCHEDULE: '250ms,1s,2m,1h',
      LLM_BASE_URL: 'http://127.0.0.1:9999/v1',
      LLM_API_KEY: 'sk-test',
      LLM_MODEL: 'small-model',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      RATE_LIMIT_PER_MINUTE: '0',
      MAX_BODY_SIZE: '512kb',
      LOG_LEVEL: 'silent',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      MAX_VALUE_BYTES: '1048576',
      USER_CODE_MAX_TIMEOUT_MS: '5000',
      SANDBOX_WORKERS: '6',
      SANDBOX_WORKERS_PER_GROUP: '2',
      MAX_STREAMS_PER_KEY: '5',
      AUTH_FAILURES_PER_MINUTE: '0',
      BODY_TIMEOUT_MS: '2000',
      DATABASE_POOL_MAX: '25',
      MAX_RUN_ATTEMPTS: '5',
      MAX_DESCENDANT_RUNS: '500',
    });
    expect(config).toMatchObject({
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
      maxValueBytes: 1024 * 1024,
      userCodeMaxTimeoutMs: 5000,
      sandboxWorkers: 6,
      sandboxWorkersPerGroup: 2,
      maxStreamsPerKey: 5,
      authFailuresPerMinute: 0,
      bodyTimeoutMs: 2000,
      databasePoolMax: 25,
      maxRunAttempts: 5,
      maxDescendantRuns: 500,
      port: 8080,
      llmBaseUrl: 'http://127.0.0.1:9999/v1',
      llmApiKey: 'sk-test',
      llmModel: 'small-model',
      role: 'worker',
      syncRunTimeoutMs: 5000,
      outboundAllowPrivate: true,
      webhookRetryScheduleMs: [250, 1000, 120_000, 3_600_000],
      rateLimitPerMinute: 0,
      maxBodyBytes: 512 * 1024,
      logLevel: 'silent',
    });
  });

  it.each([
    [
      'DATABASE_POOL_MAX',
      '1',
      'Invalid configuration: DATABASE_POOL_MAX must be a whole number from 2 to 1000 (got "1")',
    ],
    ['MAX_RUN_ATTEMPTS', '0', 'Invalid configuration: MAX_RUN_ATTEMPTS must be a whole number from 1 to 100 (got "0")'],
    [
      'MAX_DESCENDANT_RUNS',
      '0',
      'Invalid configuration: MAX_DESCENDANT_RUNS must be a whole number from 1 to 1000000 (got "0")',
    ],
    ['PORT', 'eighty', 'Invalid configuration: PORT must be a whole number from 0 to 65535 (got "eighty")'],
    [
      'SYNC_RUN_TIMEOUT_MS',
      '120001',
      'Invalid configuration: SYNC_RUN_TIMEOUT_MS must be a whole number from 1 to 120000 (got "120001")',
    ],
    ['ROLE', 'both', 'Invalid configuration: ROLE must be one of api, worker, all (got "both")'],
    [
      'DATABASE_URL',
      'mysql://x',
      'Invalid configuration: DATABASE_URL must use postgresql: or postgres: (got "mysql:")',
    ],
    ['DATABASE_URL', 'not a url', 'Invalid configuration: DATABASE_URL must be a URL'],
    [
      'BOOTSTRAP_API_KEY',
      'secret',
      'Invalid configuration: BOOTSTRAP_API_KEY must look like rl_ followed by at least 32 letters or digits',
    ],
    [
      'OUTBOUND_ALLOW_PRIVATE',
      'yes',
      'Invalid configuration: OUTBOUND_ALLOW_PRIVATE must be true or false (got "yes")',
    ],
    [
      'WEBHOOK_RETRY_SCHEDULE',
      '5s,soon',
      'Invalid configuration: WEBHOOK_RETRY_SCHEDULE "soon" is not a duration (use ms, s, m or h, e.g. 5s)',
    ],
    [
      'MAX_VALUE_BYTES',
      '10',
      'Invalid configuration: MAX_VALUE_BYTES must be a whole number from 1024 to 268435456 (got "10")',
    ],
    ['MAX_BODY_SIZE', 'huge', 'Invalid configuration: MAX_BODY_SIZE must be a size such as 2mb or 512kb (got "huge")'],
    [
      'LOG_LEVEL',
      'loud',
      'Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ],
    [
      'CORS_ORIGINS',
      'https://app.example.com/',
      'Invalid configuration: CORS_ORIGINS must list origins such as https://app.example.com, comma-separated (got "https://app.example.com/")',
    ],
    [
      'CORS_ORIGINS',
      '*',
      'Invalid configuration: CORS_ORIGINS must list origins such as https://app.example.com, comma-separated (got "*")',
    ],
    [
      'SECRETS_KEY',
      Buffer.alloc(16).toString('base64'),
      'Invalid configuration: SECRETS_KEY must be 32 bytes written as 64 hex digits or as base64',
    ],
    [
      'RUN_RETENTION_DAYS',
      '-1',
      'Invalid configuration: RUN_RETENTION_DAYS must be a whole number from 0 to 36500 (got "-1")',
    ],
    [
      'AUDIT_RETENTION_DAYS',
      'a year',
      'Invalid configuration: AUDIT_RETENTION_DAYS must be a whole number from 0 to 36500 (got "a year")',
    ],
  ])('%s=%s stops start-up with one line naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('refuses a per-group sandbox share larger than the pool', () => {
    expect(() => loadConfig({ SANDBOX_WORKERS: '2', SANDBOX_WORKERS_PER_GROUP: '3' })).toThrow(
      'Invalid configuration: SANDBOX_WORKERS_PER_GROUP must be a whole number from 1 to 2 (got "3")',
    );
  });
});
