import type { operations } from './generated/openapi.js';
import { typedRequest } from './request.js';
import type { Transport } from './transport.js';
import type { CreateWorkflowBody, UpdateWorkflowBody, Workflow, WorkflowPage } from './types.js';
import type { ImportResult, WorkflowBundle, WorkflowDocument } from './workflow-documents.js';

/** Paging, `q` (name, slug or description contain it, case-insensitive) and `slug` (exact). */
export type WorkflowListQuery = NonNullable<operations['listWorkflows']['parameters']['query']>;

/** `client.workflows`: store, read, change and move workflows. */
export class Workflows {
  constructor(private readonly transport: Transport) {}

  create(body: CreateWorkflowBody): Promise<Workflow> {
    return typedRequest(this.transport, 'POST', '/v1/workflows', { body });
  }

  get(workflowId: string): Promise<Workflow> {
    return typedRequest(this.transport, 'GET', '/v1/workflows/{workflow_id}', { path: { workflow_id: workflowId } });
  }

  /** One page of the group's workflows, newest first. */
  list(query: WorkflowListQuery = {}): Promise<WorkflowPage> {
    return typedRequest(this.transport, 'GET', '/v1/workflows', { query });
  }

  /** Changes the fields given; `ifMatch` (a revision) refuses with 412 if someone saved in between. */
  update(workflowId: string, body: UpdateWorkflowBody, options: { ifMatch?: number } = {}): Promise<Workflow> {
    return typedRequest(this.transport, 'PATCH', '/v1/workflows/{workflow_id}', {
      path: { workflow_id: workflowId },
      body,
      headers: options.ifMatch === undefined ? undefined : { 'If-Match': `"${options.ifMatch}"` },
    });
  }

  async delete(workflowId: string): Promise<void> {
    await typedRequest(this.transport, 'DELETE', '/v1/workflows/{workflow_id}', { path: { workflow_id: workflowId } });
  }

  /** The workflow as a self-contained document: definition, versions, schedules, what it requires. */
  export(workflowId: string): Promise<WorkflowDocument> {
    return typedRequest(this.transport, 'GET', '/v1/workflows/{workflow_id}/export', {
      path: { workflow_id: workflowId },
    });
  }

  /**
   * Creates or updates workflows by slug from exported documents (several at once: all or none).
   * Importing the same documents twice changes nothing; `dryRun` says what would change.
   */
  import(
    documents: WorkflowDocument | WorkflowDocument[] | WorkflowBundle,
    options: { dryRun?: boolean } = {},
  ): Promise<ImportResult> {
    return typedRequest(this.transport, 'POST', '/v1/workflows/import', {
      query: { dry_run: options.dryRun },
      body: Array.isArray(documents) ? { workflows: documents } : documents,
    });
  }
}
