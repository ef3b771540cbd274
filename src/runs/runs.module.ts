import { Module } from '@nestjs/common';
import { WorkflowsModule } from '../workflows/workflows.module.js';
import { RunController } from './run.controller.js';
import { RunExecutor } from './run-executor.js';
import { WorkflowRunsController } from './runs.controller.js';
import { RunsRepository } from './runs.repository.js';
import { RunsService } from './runs.service.js';

@Module({
  imports: [WorkflowsModule],
  controllers: [WorkflowRunsController, RunController],
  providers: [RunsRepository, RunsService, RunExecutor],
})
export class RunsModule {}
