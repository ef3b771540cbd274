import { DynamicModule, Module } from '@nestjs/common';
import { DefinitionsModule } from '../definitions/definitions.module.js';
import { HooksController } from './hooks.controller.js';
import { TriggerDeliveries } from './trigger-deliveries.js';
import { TriggerDeliveryPurger } from './trigger-delivery-purger.js';
import { TriggerInputMapping } from './trigger-input-mapping.js';
import { TriggerSecrets } from './trigger-secrets.js';
import { TriggersController } from './triggers.controller.js';
import { TriggersRepository } from './triggers.repository.js';
import { TriggersService } from './triggers.service.js';
import { WorkflowTriggersController } from './workflow-triggers.controller.js';

/** Webhook triggers: their API, the keyless hook URL that starts runs through RunsService (API instances only). */
@Module({})
export class TriggersModule {
  /** `runs`: the app's one RunsModule, so deliveries start runs with the same RunsService. */
  static forRoot(runs: DynamicModule): DynamicModule {
    return {
      module: TriggersModule,
      imports: [DefinitionsModule, runs],
      controllers: [WorkflowTriggersController, TriggersController, HooksController],
      providers: [
        TriggersRepository,
        TriggersService,
        TriggerSecrets,
        TriggerInputMapping,
        TriggerDeliveries,
        TriggerDeliveryPurger,
      ],
    };
  }
}
