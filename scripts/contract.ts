/**
 * `npm run contract` (after `npm run build`): the OpenAPI document the built app serves at
 * /docs-json must be valid OpenAPI (swagger-parser), pass Redocly's recommended rules with no error,
 * and generate a client (openapi-typescript, default flags) that the typed example client
 * (examples/typed-client.ts) compiles against, and the TypeScript SDK's committed generated types
 * (clients/typescript/src/generated/openapi.ts) must be what the document generates today. Any
 * failure exits non-zero, so CI stops on drift.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIObject } from '@nestjs/swagger';
import openapiTS, { astToString } from 'openapi-typescript';
import { createApp } from '../dist/app.js';
import { loadConfig } from '../dist/config/app-config.js';
import { createApiDocument } from '../dist/openapi/api-document.js';
import { GENERATED_TYPES_FILE, generatedTypes } from '../clients/typescript/scripts/generate-types.js';

const DOCUMENT_FILE = '.contract/openapi.json';
const CLIENT_TYPES_FILE = 'examples/generated/runloom-api.d.ts';

/** The served document, built as the app builds it; the app is created but never connects. */
async function servedDocument(): Promise<OpenAPIObject> {
  const config = loadConfig({
    ROLE: 'api',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'postgresql://contract@127.0.0.1:9/none',
  });
  const app = await createApp(config, { url: config.databaseUrl! });
  return createApiDocument(app);
}

function run(step: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${step} failed (exit ${result.status ?? result.signal})`);
  console.error(`contract: ${step}: ok`);
}

async function main(): Promise<void> {
  const document = await servedDocument();
  await mkdir('.contract', { recursive: true });
  await writeFile(DOCUMENT_FILE, JSON.stringify(document, null, 2));

  await SwaggerParser.validate(structuredClone(document) as never);
  console.error('contract: swagger-parser validate: ok');

  run('redocly lint (recommended)', 'node_modules/.bin/redocly', ['lint', '--config', 'redocly.yaml', DOCUMENT_FILE], {
    REDOCLY_TELEMETRY: 'off',
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
  });

  await mkdir('examples/generated', { recursive: true });
  await writeFile(CLIENT_TYPES_FILE, astToString(await openapiTS(document as never)));
  run('openapi-typescript + tsc examples/typed-client.ts', 'node_modules/.bin/tsc', ['-p', 'examples/tsconfig.json']);

  const committed = await readFile(GENERATED_TYPES_FILE, 'utf8').catch(() => '');
  if (committed !== (await generatedTypes(document))) {
    throw new Error(
      'clients/typescript/src/generated/openapi.ts is stale: run `npm run generate -w @runloom/client` and commit it',
    );
  }
  console.error('contract: SDK types match the document: ok');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`contract: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
