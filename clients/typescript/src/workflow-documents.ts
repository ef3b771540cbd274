import type { components } from './generated/openapi.js';

/**
 * The export/import document of a workflow (`GET /v1/workflows/{id}/export`,
 * `POST /v1/workflows/import`): a workflow by its slug, with its versions and schedules, and the
 * names of what it needs from the group it is imported into.
 */
export type WorkflowDocument = components['schemas']['WorkflowDocumentDto'];

/** Several documents imported together, in one transaction, references between them allowed. */
export type WorkflowBundle = components['schemas']['WorkflowBundleDto'];

export type ImportChange = components['schemas']['ImportChangeDto'];

export type ImportResult = components['schemas']['ImportResultDto'];
