import { DynamicModule, Module, Provider } from '@nestjs/common';
import { type AppConfig, servesApi, worksQueues } from '../config/app-config.js';
import { DefinitionsModule } from '../definitions/definitions.module.js';
import { ExecutorModule } from '../executor/executor.module.js';
import { RunEventsModule } from '../run-events/run-events.module.js';
import { RetentionPurger } from './retention/retention-purger.js';
import { RetentionRepository } from './retention/retention.repository.js';
import { RunController } from './run.controller.js';
import { RunQueries } from './run-queries.js';
import { RunSearch } from './run-search.js';
import { RunSearchService } from './run-search.service.js';
import { RunsController } from './runs.controller.js';
import { RunsService } from './runs.service.js';
import { RunRetries } from './run-retries.js';
import { WaitsModule } from '../waits/waits.module.js';
import { SignalsController } from '../waits/signals.controller.js';
import { ResumeController } from '../waits/resume.controller.js';
import { SignalsService } from '../waits/signals.service.js';

/**
 * The API side of runs: serves `/v1/runs` (search, bulk stop), `/v1/runs/{run_id}` (its signals,
 * retries and replays too) and resume links, and exports RunsService (the workflows API creates
 * runs with it, schedules start theirs with it; sync runs execute here, through the
 * ExecutorModule). A worker also purges old runs.
 */
@Module({})
export class RunsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const api = servesApi(config);
    const providers: Provider[] = [RetentionRepository, RunQueries];
    if (api) providers.push(RunsService, RunRetries, SignalsService, RunSearch, RunSearchService);
    if (worksQueues(config)) providers.push(RetentionPurger);
    return {
      module: RunsModule,
      imports: [ExecutorModule.forRoot(config), DefinitionsModule, RunEventsModule.forRoot(config), WaitsModule],
      controllers: api ? [RunsController, RunController, SignalsController, ResumeController] : [],
      providers,
      exports: api ? [RunsService] : [],
    };
  }
}
