import { DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, servesApi } from '../config/app-config.js';
import { SecretsController } from './secrets.controller.js';
import { SecretsRepository } from './secrets.repository.js';
import { SecretsService } from './secrets.service.js';

/** Every instance resolves secrets for the runs it executes; API instances also serve /v1/secrets. */
@Module({})
export class SecretsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SecretsModule,
      controllers: servesApi(config) ? [SecretsController] : [],
      providers: [SecretsRepository, SecretsService],
      exports: [SecretsService],
    };
  }
}
