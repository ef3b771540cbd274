import { DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, servesApi } from '../config/app-config.js';
import { DebuggerController } from './debugger.controller.js';
import { RunSetStream } from './run-set-stream.js';
import { WorkflowEventsController } from './workflow-events.controller.js';
import { RunEventStream } from './run-event-stream.js';
import { RunEventsRepository } from './run-events.repository.js';
import { RunWatcher } from './run-watcher.js';
import { WaitsModule } from '../waits/waits.module.js';

/**
 * Following runs through their recorded events: a run's Server-Sent Events stream, the debugger
 * session and workflow streams, and RunWatcher (waiting for a run to finish). Each wakes on the
 * NOTIFY the `run_events` trigger sends, so a run executing on another instance is followed as
 * promptly (a workflow's stream also reads every second: its runs do not notify).
 */
@Module({})
export class RunEventsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const api = servesApi(config);
    return {
      module: RunEventsModule,
      imports: [WaitsModule],
      controllers: api ? [DebuggerController, WorkflowEventsController] : [],
      providers: [RunEventsRepository, RunWatcher, ...(api ? [RunEventStream, RunSetStream] : [])],
      exports: [RunWatcher, ...(api ? [RunEventStream] : [])],
    };
  }
}
