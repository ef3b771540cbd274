import { DynamicModule, Module, Provider } from '@nestjs/common';
import { type AppConfig, servesApi, worksQueues } from '../config/app-config.js';
import { CallbackWorker } from './callback-worker.js';
import { CallbacksController } from './callbacks.controller.js';
import { CallbacksService } from './callbacks.service.js';
import { WebhookSecretController } from './webhook-secret.controller.js';
import { WebhookService } from './webhook.service.js';
import { WebhooksRepository } from './webhooks.repository.js';

/**
 * Run callbacks. The API side lists attempts, redelivers and rotates signing secrets; the worker
 * side sends them. Callbacks are queued by the database when a run finishes (the
 * `runs_queue_callback` trigger), so nothing in the run code calls into this module.
 */
@Module({})
export class WebhooksModule {
  static forRoot(config: AppConfig): DynamicModule {
    const api = servesApi(config);
    const worker = worksQueues(config);
    const providers: Provider[] = [WebhooksRepository];
    if (api) providers.push(CallbacksService);
    if (worker) providers.push(WebhookService, CallbackWorker);
    return {
      module: WebhooksModule,
      controllers: api ? [CallbacksController, WebhookSecretController] : [],
      providers,
    };
  }
}
