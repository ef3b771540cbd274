import { DynamicModule, Module } from '@nestjs/common';
import { DefinitionsModule } from '../definitions/definitions.module.js';
import { NodeCatalogController } from './node-catalog.controller.js';
import { WorkflowDraftsController } from './workflow-drafts.controller.js';
import { WorkflowsController } from './workflows.controller.js';
import { WorkflowsService } from './workflows.service.js';

/** The workflows API: workflows, versions, draft checks, the runs of a workflow, and the node catalog. */
@Module({})
export class WorkflowsModule {
  /** `runs`: the app's one RunsModule, whose RunsService creates the runs. */
  static forRoot(runs: DynamicModule): DynamicModule {
    return {
      module: WorkflowsModule,
      imports: [DefinitionsModule, runs],
      controllers: [WorkflowsController, WorkflowDraftsController, NodeCatalogController],
      providers: [WorkflowsService],
    };
  }
}
