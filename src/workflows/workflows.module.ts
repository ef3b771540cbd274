import { DynamicModule, Module } from '@nestjs/common';
import { DefinitionsModule } from '../definitions/definitions.module.js';
import { SecretsRepository } from '../secrets/secrets.repository.js';
import { NodeCatalogController } from './node-catalog.controller.js';
import { PortabilityController } from './portability/portability.controller.js';
import { PortabilityRepository } from './portability/portability.repository.js';
import { WorkflowExportService } from './portability/workflow-export.service.js';
import { WorkflowImportService } from './portability/workflow-import.service.js';
import { WorkflowDraftsController } from './workflow-drafts.controller.js';
import { WorkflowsController } from './workflows.controller.js';
import { WorkflowsService } from './workflows.service.js';

/** The workflows API: workflows, versions, draft checks, export/import, the runs of a workflow, and the node catalog. */
@Module({})
export class WorkflowsModule {
  /** `runs`: the app's one RunsModule, whose RunsService creates the runs. */
  static forRoot(runs: DynamicModule): DynamicModule {
    return {
      module: WorkflowsModule,
      imports: [DefinitionsModule, runs],
      controllers: [PortabilityController, WorkflowsController, WorkflowDraftsController, NodeCatalogController],
      // SecretsRepository: import checks which secret names the group has, never reading a value.
      providers: [
        WorkflowsService,
        PortabilityRepository,
        WorkflowExportService,
        WorkflowImportService,
        SecretsRepository,
      ],
    };
  }
}
