import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { API_KEY_SCHEME } from './auth/auth.decorator.js';
import { AppConfig } from './config/app-config.js';
import type { DatabaseConnection } from './database/database.tokens.js';

/** Builds the HTTP application (not yet listening): used by main.ts and by the e2e tests. */
export async function createApp(config: AppConfig, database: DatabaseConnection): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, database), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: config.maxBodyBytes, type: ['application/json', 'application/*+json'] });
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.enableShutdownHooks();
  setUpApiDocs(app);
  return app;
}

function setUpApiDocs(app: NestExpressApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Runloom')
      .setDescription('Store, version and run workflows (DAGs of typed nodes) over a REST API.')
      .setVersion('1')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, API_KEY_SCHEME)
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
