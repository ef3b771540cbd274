import type { Run } from '../generated/prisma/client.js';

/**
 * A child run's call path (the logical call it stands for; its nodes' idempotency keys derive from
 * it): the parent's call path (null reads as the parent's id) followed by
 * `/<parent node id>:<item index, empty for a WorkflowNode>`. The parent node's attempt is left out
 * on purpose: a node's retries are one logical call, so the child a retried node starts makes its
 * calls with the keys of the child it replaces.
 */
export function childCallPath(parent: Pick<Run, 'id' | 'callPath'>, nodeId: string, itemIndex: number | null): string {
  return `${parent.callPath ?? parent.id}/${nodeId}:${itemIndex ?? ''}`;
}
