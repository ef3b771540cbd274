import { DynamicModule, Module, Provider } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { RunnableDefinitions } from '../workflows/runnable-definitions.js';
import { WorkflowsModule } from '../workflows/workflows.module.js';
import { WorkflowsRepository } from '../workflows/workflows.repository.js';
import { ChildRunsService } from './child-runs.js';
import { RunController } from './run.controller.js';
import { RunEventStream } from './run-event-stream.js';
import { RunExecutor } from './run-executor.js';
import { RunWatcher } from './run-watcher.js';
import { RunWorker } from './run-worker.js';
import { WorkflowRunsController } from './runs.controller.js';
import { RunsRepository } from './runs.repository.js';
import { RunsService } from './runs.service.js';
import { RunsShutdown } from './runs-shutdown.js';

/** The API side serves the run endpoints (and executes sync runs); the worker side works the queue. */
@Module({})
export class RunsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const api = config.role !== 'worker';
    const worker = config.role !== 'api';
    const providers: Provider[] = [RunsRepository, RunExecutor, RunsShutdown, RunWatcher, ChildRunsService];
    if (api) providers.push(RunsService, RunEventStream);
    // Child runs read workflow definitions; the API side gets them from WorkflowsModule.
    else providers.push(WorkflowsRepository, RunnableDefinitions);
    if (worker) providers.push(RunWorker);
    return {
      module: RunsModule,
      imports: api ? [WorkflowsModule] : [],
      controllers: api ? [WorkflowRunsController, RunController] : [],
      providers,
    };
  }
}
