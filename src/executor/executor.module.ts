import { DynamicModule, Module, Provider } from '@nestjs/common';
import { type AppConfig, worksQueues } from '../config/app-config.js';
import { DefinitionsModule } from '../definitions/definitions.module.js';
import { RunEventsModule } from '../run-events/run-events.module.js';
import { SecretsModule } from '../secrets/secrets.module.js';
import { ChildRunsService } from './child-runs.js';
import { ExecutionService } from './execution.service.js';
import { GroupSlots } from './group-slots.js';
import { LocalRuns } from './local-runs.js';
import { RunStops } from './run-stops.js';
import { RunParking } from './run-parking.js';
import { RunWorker } from './run-worker.js';
import { RunsRepository } from './runs.repository.js';
import { RunTreesRepository } from './run-trees.repository.js';
import { RunsShutdown } from './runs-shutdown.js';
import { WaitsModule } from '../waits/waits.module.js';

/**
 * Executing runs on this instance and writing them: every instance executes runs (sync runs where
 * they are created, child runs under their parent); a worker (ROLE=worker or all) also takes queued
 * runs and resumes those whose holder died. The API side (RunsModule) creates runs through it.
 */
@Module({})
export class ExecutorModule {
  static forRoot(config: AppConfig): DynamicModule {
    const providers: Provider[] = [
      RunsRepository,
      RunTreesRepository,
      ExecutionService,
      RunsShutdown,
      ChildRunsService,
      GroupSlots,
      RunStops,
      RunParking,
      LocalRuns,
    ];
    if (worksQueues(config)) providers.push(RunWorker);
    return {
      module: ExecutorModule,
      imports: [SecretsModule.forRoot(config), DefinitionsModule, RunEventsModule.forRoot(config), WaitsModule],
      providers,
      exports: [RunsRepository, ExecutionService, RunStops, LocalRuns],
    };
  }
}
