import { createHash } from 'node:crypto';
import type { Workflow, WorkflowVersion } from '../generated/prisma/client.js';
import type { AuditActor, AuditEntry } from '../common/audit-events.js';

/**
 * A workflow as its audit rows show it. The definition is named by its SHA-256 and node count, not
 * copied: it can be a megabyte, the versions keep every definition that ran, and a digest still
 * says whether two rows saw the same one.
 */
export function workflowState(workflow: Workflow): Record<string, unknown> {
  return {
    name: workflow.name,
    description: workflow.description,
    slug: workflow.slug,
    revision: workflow.revision,
    definition: definitionDigest(workflow.definition),
  };
}

function versionState(version: WorkflowVersion): Record<string, unknown> {
  return {
    workflow_id: version.workflowId,
    number: version.number,
    name: version.name,
    description: version.description,
    definition: definitionDigest(version.definition),
  };
}

function definitionDigest(definition: unknown): { sha256: string; nodes: number } {
  const nodes = (definition as { nodes?: unknown[] } | null)?.nodes;
  return {
    sha256: createHash('sha256').update(JSON.stringify(definition)).digest('hex'),
    nodes: Array.isArray(nodes) ? nodes.length : 0,
  };
}

/** The audit row of a change to workflow `workflowId`. */
export function workflowEntry(
  actor: AuditActor,
  groupId: string,
  action: string,
  workflowId: string,
  before?: unknown,
  after?: unknown,
): AuditEntry {
  return { actor, groupId, action, targetType: 'workflow', targetId: workflowId, before, after };
}

/** The audit row of a new version (`workflow_version.created`). */
export function versionEntry(actor: AuditActor, groupId: string, version: WorkflowVersion): AuditEntry {
  return {
    actor,
    groupId,
    action: 'workflow_version.created',
    targetType: 'workflow_version',
    targetId: version.id,
    after: versionState(version),
  };
}
