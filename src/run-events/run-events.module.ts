import { DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, servesApi } from '../config/app-config.js';
import { DebuggerController } from './debugger.controller.js';
import { DebuggerStream } from './debugger-stream.js';
import { RunEventStream } from './run-event-stream.js';
import { RunEventsRepository } from './run-events.repository.js';
import { RunWatcher } from './run-watcher.js';
import { WaitsModule } from '../waits/waits.module.js';

/**
 * Following runs through their recorded events: a run's Server-Sent Events stream, the debugger
 * session stream, and RunWatcher (waiting for a run to finish). Each wakes on the NOTIFY the
 * `run_events` trigger sends, so a run executing on another instance is followed as promptly.
 */
@Module({})
export class RunEventsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const api = servesApi(config);
    return {
      module: RunEventsModule,
      imports: [WaitsModule],
      controllers: api ? [DebuggerController] : [],
      providers: [RunEventsRepository, RunWatcher, ...(api ? [RunEventStream, DebuggerStream] : [])],
      exports: [RunWatcher, ...(api ? [RunEventStream] : [])],
    };
  }
}
