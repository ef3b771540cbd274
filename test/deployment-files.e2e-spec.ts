import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { loadConfig } from '../src/config/app-config.js';
import { SHUTDOWN_GRACE_MS } from '../src/runs/runs-shutdown.js';

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

const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, ComposeService> };
const dockerfile = readFileSync('Dockerfile', 'utf8');

/** The service's environment as compose would pass it, with `${VAR:-default}` taking its default. */
function composeEnv(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([key, value]) => [
      key,
      value.replace(/\$\{[A-Z_]+:-([^}]*)\}/, '$1'),
    ]),
  );
}

describe('docker-compose.yml', () => {
  const { postgres, api, worker } = compose.services;

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
    expect(api.ports).toContain(`${config.port}:${config.port}`);
    expect(worker.ports).toBeUndefined();
  });
});

describe('Dockerfile', () => {
  it('is multi-stage on node 22 slim, runs as a non-root user, ships migrations', () => {
    const stages = dockerfile.match(/^FROM .+$/gm) ?? [];
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^FROM node:22-slim\b/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/COPY .*\/app\/prisma \.\/prisma/);
    expect(dockerfile).toContain('CMD ["node", "dist/main.js"]');
  });

  it('exposes the default port', () => {
    expect(dockerfile).toContain(`EXPOSE ${loadConfig({}).port}`);
  });
});
