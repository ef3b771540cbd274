import { DynamicModule, Module, Provider } from '@nestjs/common';
import { type AppConfig, servesApi, worksQueues } from '../config/app-config.js';
import { RetentionPurger } from './retention/retention-purger.js';
import { RetentionRepository } from './retention/retention.repository.js';
import { ScheduleTicker } from '../schedules/schedule-ticker.js';
import { SchedulesController } from '../schedules/schedules.controller.js';
import { SchedulesRepository } from '../schedules/schedules.repository.js';
import { SchedulesService } from '../schedules/schedules.service.js';
import { SecretsModule } from '../secrets/secrets.module.js';
import { RunnableDefinitions } from '../definitions/runnable-definitions.js';
import { WorkflowsModule } from '../workflows/workflows.module.js';
import { WorkflowsRepository } from '../definitions/workflows.repository.js';
import { ChildRunsService } from './child-runs.js';
import { RunController } from './run.controller.js';
import { RunEventStream } from '../run-events/run-event-stream.js';
import { RunExecutor } from './execution.service.js';
import { RunWatcher } from '../run-events/run-watcher.js';
import { RunWorker } from './run-worker.js';
import { WorkflowRunsController } from './runs.controller.js';
import { RunsRepository } from './runs.repository.js';
import { RunsService } from './runs.service.js';
import { RunsShutdown } from './runs-shutdown.js';

/**
 * The API side serves the run and schedule endpoints (and executes sync runs, and starts the runs
 * of due schedules, through the same RunsService); the worker side works the queue.
 */
@Module({})
export class RunsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const api = servesApi(config);
    const worker = worksQueues(config);
    const providers: Provider[] = [
      RunsRepository,
      RunExecutor,
      RunsShutdown,
      RunWatcher,
      ChildRunsService,
      RetentionRepository,
    ];
    if (api) providers.push(RunsService, RunEventStream, SchedulesRepository, SchedulesService, ScheduleTicker);
    // Child runs read workflow definitions; the API side gets them from WorkflowsModule.
    else providers.push(WorkflowsRepository, RunnableDefinitions);
    if (worker) providers.push(RunWorker, RetentionPurger);
    return {
      module: RunsModule,
      imports: [SecretsModule.forRoot(config), ...(api ? [WorkflowsModule] : [])],
      controllers: api ? [WorkflowRunsController, RunController, SchedulesController] : [],
      providers,
    };
  }
}
