import { Module } from '@nestjs/common';
import { NodeCatalogController } from './node-catalog.controller.js';
import { RunnableDefinitions } from '../definitions/runnable-definitions.js';
import { WorkflowsController } from './workflows.controller.js';
import { WorkflowsRepository } from '../definitions/workflows.repository.js';
import { WorkflowsService } from './workflows.service.js';

@Module({
  controllers: [WorkflowsController, NodeCatalogController],
  providers: [WorkflowsRepository, WorkflowsService, RunnableDefinitions],
  exports: [WorkflowsRepository, RunnableDefinitions],
})
export class WorkflowsModule {}
