import 'reflect-metadata';
import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface.js';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { NextFunction, Request, Response } from 'express';
import type { IncomingMessage } from 'node:http';
import typeis from 'type-is';
import { AppModule } from './app.module.js';
import { Problem } from './common/problem.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { authenticateBeforeBody } from './auth/authenticate-before-body.js';
import { HOOKS_PATH, RESUME_PATH } from './common/logged-path.js';
import { bodyDeadline, requestHasBody } from './common/body-deadline.js';
import { AppConfig, servesApi } from './config/app-config.js';
import type { DatabaseConnection } from './database/database.tokens.js';
import { createApiDocument } from './openapi/api-document.js';
import { serveConsole } from './console/serve-console.js';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** A webhook delivery (triggers/hooks.controller.ts): any content type, read raw for its signature. */
function isHookDelivery(request: IncomingMessage): boolean {
  return (request as Request).path.startsWith(`${HOOKS_PATH}/`);
}

/** A body the JSON parser would skip must not be mistaken for an empty one (a PATCH that silently does nothing). */
function rejectNonJsonBodies(request: Request, _: Response, next: NextFunction): void {
  if (requestHasBody(request) && !isHookDelivery(request) && !typeis(request, JSON_TYPES)) {
    next(
      new Problem(415, 'unsupported-media-type', 'Unsupported Media Type', 'Send request bodies as application/json.'),
    );
    return;
  }
  next();
}

/**
 * Browser apps on CORS_ORIGINS may send every header the API reads and read back every header it
 * answers with; other origins get no `Access-Control-Allow-Origin`, so browsers refuse them.
 */
function corsOptions(origins: string[]): CorsOptions {
  return {
    origin: origins,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['X-API-Key', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID', 'traceparent', 'If-Match'],
    exposedHeaders: ['Location', 'ETag', 'Retry-After', 'X-Request-Id'],
    maxAge: 600,
  };
}

/** Builds the HTTP application (not yet listening): used by main.ts and by the e2e tests. */
export async function createApp(config: AppConfig, database: DatabaseConnection): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, database), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  if (config.corsOrigins.length) app.enableCors(corsOptions(config.corsOrigins));
  if (servesApi(config)) app.use(authenticateBeforeBody(app.get(ApiKeyGuard), [RESUME_PATH, HOOKS_PATH]));
  app.use(rejectNonJsonBodies);
  app.use(bodyDeadline(config.bodyTimeoutMs));
  // A signature covers the exact bytes sent, so a delivery's body is kept raw (a Buffer), whatever
  // its type, up to TRIGGER_MAX_BODY_BYTES; the JSON parser then leaves it alone.
  app.useBodyParser('raw', { limit: config.triggerMaxBodyBytes, type: isHookDelivery });
  app.useBodyParser('json', { limit: config.maxBodyBytes, type: JSON_TYPES });
  app.disable('x-powered-by');
  // API answers change with every run; a digest of each body cost CPU and saved no client a byte.
  // Workflows set their own ETag (the revision), which If-None-Match still answers with 304.
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.enableShutdownHooks();
  if (servesApi(config)) {
    setUpApiDocs(app);
    serveConsole(app);
  }
  return app;
}

function setUpApiDocs(app: NestExpressApplication): void {
  SwaggerModule.setup('docs', app, createApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
