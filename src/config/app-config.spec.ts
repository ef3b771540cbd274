import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './app-config.js';

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
      logLevel: 'info',
      sseHeartbeatMs: 15_000,
      databasePoolMax: 10,
      maxRunAttempts: 3,
    });
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
      DATABASE_POOL_MAX: '25',
      MAX_RUN_ATTEMPTS: '5',
    });
    expect(config).toMatchObject({
      databasePoolMax: 25,
      maxRunAttempts: 5,
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
    ['MAX_BODY_SIZE', 'huge', 'Invalid configuration: MAX_BODY_SIZE must be a size such as 2mb or 512kb (got "huge")'],
    [
      'LOG_LEVEL',
      'loud',
      'Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ],
  ])('%s=%s stops start-up with one line naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
