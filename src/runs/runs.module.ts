import { DynamicModule, Module, Provider } from '@nestjs/common';
import { type AppConfig, servesApi, worksQueues } from '../config/app-config.js';
import { DefinitionsModule } from '../definitions/definitions.module.js';
import { RunEventsModule } from '../run-events/run-events.module.js';
import { SecretsModule } from '../secrets/secrets.module.js';
import { ChildRunsService } from './child-runs.js';
import { ExecutionService } from './execution.service.js';
import { GroupSlots } from './group-slots.js';
import { RetentionPurger } from './retention/retention-purger.js';
import { RetentionRepository } from './retention/retention.repository.js';
import { RunController } from './run.controller.js';
import { RunStops } from './run-stops.js';
import { RunWorker } from './run-worker.js';
import { RunsRepository } from './runs.repository.js';
import { RunsService } from './runs.service.js';
import { RunsShutdown } from './runs-shutdown.js';

/**
 * Every instance executes runs (child runs included). The API side serves `/v1/runs/{run_id}` and
 * exports RunsService (the workflows API creates runs with it, schedules start theirs with it; sync
 * runs execute here); the worker side works the queue and purges old runs.
 */
@Module({})
export class RunsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const api = servesApi(config);
    const worker = worksQueues(config);
    const providers: Provider[] = [
      RunsRepository,
      ExecutionService,
      RunsShutdown,
      ChildRunsService,
      GroupSlots,
      RunStops,
      RetentionRepository,
    ];
    if (api) providers.push(RunsService);
    if (worker) providers.push(RunWorker, RetentionPurger);
    return {
      module: RunsModule,
      imports: [SecretsModule.forRoot(config), DefinitionsModule, RunEventsModule.forRoot(config)],
      controllers: api ? [RunController] : [],
      providers,
      exports: api ? [RunsService] : [],
    };
  }
}
