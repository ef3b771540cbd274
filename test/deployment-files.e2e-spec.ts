import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { loadConfig } from '../src/config/app-config.js';
import { SHUTDOWN_GRACE_MS } from '../src/executor/runs-shutdown.js';

// No Docker engine runs here, so the compose file and Dockerfile are checked against the app's own
// configuration schema instead of being started.
interface ComposeService {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  restart?: string;
  stop_grace_period?: string;
}

const composeText = readFileSync('docker-compose.yml', 'utf8');
const dockerfile = readFileSync('Dockerfile', 'utf8');
const testedNodeVersions = readFileSync('.ci/node-versions', 'utf8').trim().split('\n');
const SHELL = { BOOTSTRAP_API_KEY: `rl_${'k'.repeat(32)}` };

/**
 * The file as `docker compose` reads it with this shell environment: `${VAR}`, `${VAR:-default}`
 * and `${VAR:?error}` (which refuses to start when VAR is unset or empty).
 */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, word?: string) => {
    const value = env[name];
    if (value) return value;
    if (kind === '?') throw new Error(`required variable ${name} is missing a value: ${word}`);
    return kind === '-' ? (word ?? '') : '';
  });
}

function loadCompose(env: Record<string, string> = SHELL): { services: Record<string, ComposeService> } {
  return parse(interpolate(composeText, env)) as { services: Record<string, ComposeService> };
}

const compose = loadCompose();

/** The service's environment as compose passes it. */
function composeEnv(service: ComposeService): Record<string, string> {
  return service.environment ?? {};
}

describe('docker-compose.yml', () => {
  const { postgres, api, worker } = compose.services;

  it('is a valid Compose file (the compose-spec JSON schema)', () => {
    // test/fixtures/compose-spec.json: schema/compose-spec.json of github.com/compose-spec/compose-spec.
    const schema = JSON.parse(readFileSync('test/fixtures/compose-spec.json', 'utf8')) as Record<string, unknown>;
    const validate = new Ajv({ strict: false, allErrors: true }).compile({ ...schema, $schema: undefined });
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
    const broken = loadCompose();
    (broken.services.api as Record<string, unknown>).port = '3000:3000'; // a typo for ports
    expect(validate(broken)).toBe(false);
  });

  it('has no default admin key: compose refuses to start without BOOTSTRAP_API_KEY', () => {
    expect(() => loadCompose({})).toThrow('required variable BOOTSTRAP_API_KEY is missing a value');
    expect(composeEnv(api).BOOTSTRAP_API_KEY).toBe(SHELL.BOOTSTRAP_API_KEY);
  });

  it('publishes the API on 127.0.0.1 only, unless API_BIND_ADDRESS says otherwise', () => {
    expect(api.ports).toEqual(['127.0.0.1:3000:3000']);
    expect(loadCompose({ ...SHELL, API_BIND_ADDRESS: '0.0.0.0' }).services.api.ports).toEqual(['0.0.0.0:3000:3000']);
    expect(postgres.ports).toBeUndefined();
  });

  it('runs PostgreSQL 17 with a volume and a healthcheck', () => {
    expect(postgres.image).toBe('postgres:17');
    expect(postgres.volumes?.some((volume) => volume.endsWith(':/var/lib/postgresql/data'))).toBe(true);
    expect(postgres.healthcheck?.test.join(' ')).toContain('pg_isready');
  });

  it.each([
    ['api', 'api'],
    ['worker', 'worker'],
  ])('%s: environment is valid for the app, waits for a healthy database', (name, role) => {
    const service = compose.services[name];
    const config = loadConfig(composeEnv(service));
    expect(config.role).toBe(role);
    expect(new URL(config.databaseUrl!).hostname).toBe('postgres');
    expect(service.build).toBe('.');
    expect(service.depends_on?.postgres.condition).toBe('service_healthy');
  });

  it.each(['api', 'worker'])(
    '%s: restarts unless stopped, drains before being killed, is checked for readiness on its port',
    (name) => {
      const service = compose.services[name];
      expect(service.restart).toBe('unless-stopped');
      expect(parseInt(service.stop_grace_period ?? '0', 10)).toBeGreaterThan(SHUTDOWN_GRACE_MS / 1000);
      const check = service.healthcheck?.test.join(' ') ?? '';
      expect(check).toContain(`127.0.0.1:${loadConfig(composeEnv(service)).port}/health/ready`);
    },
  );

  it('publishes the API on the port the API listens on', () => {
    const config = loadConfig(composeEnv(api));
    expect(api.ports).toContain(`127.0.0.1:${config.port}:${config.port}`);
    expect(worker.ports).toBeUndefined();
  });
});

describe('Dockerfile', () => {
  it('is multi-stage on a slim Node.js image of a version CI tests, runs as a non-root user, ships migrations', () => {
    const stages = dockerfile.match(/^FROM .+$/gm) ?? [];
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      const version = /^FROM node:(\S+)-slim\b/.exec(stage)?.[1];
      expect(testedNodeVersions).toContain(version);
    }
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/COPY .*\/app\/prisma \.\/prisma/);
    expect(dockerfile).toContain('CMD ["node", "dist/main.js"]');
  });

  it('exposes the default port', () => {
    expect(dockerfile).toContain(`EXPOSE ${loadConfig({}).port}`);
  });
});
