import { Module } from '@nestjs/common';
import { RunnableDefinitions } from './runnable-definitions.js';
import { WorkflowsRepository } from './workflows.repository.js';

/**
 * The stored workflows and versions, and the cached definitions runs execute: read by the
 * workflows API, by runs and by schedules, so none of them has to import another for it.
 */
@Module({
  providers: [WorkflowsRepository, RunnableDefinitions],
  exports: [WorkflowsRepository, RunnableDefinitions],
})
export class DefinitionsModule {}
