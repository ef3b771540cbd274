import type { Definition } from '../types';

/** What a test run runs: the whole workflow, some nodes with what they need (`node_ids`), or one node alone. */
export type RunTarget =
  { kind: 'workflow' } | { kind: 'nodes'; nodeIds: string[]; title: string } | { kind: 'single'; nodeId: string };

export const WHOLE_WORKFLOW: RunTarget = { kind: 'workflow' };

/** The nodes a run of `target` executes: `node_ids` runs the listed nodes and everything upstream of them. */
export function plannedNodeIds(definition: Definition, target: RunTarget): Set<string> {
  if (target.kind === 'single') return new Set([target.nodeId]);
  if (target.kind === 'nodes') return reachable(definition, target.nodeIds, 'upstream');
  return new Set(definition.nodes.map((node) => node.id));
}

/** `nodeId` and every node downstream of it: what "Run from here" lists in `node_ids`. */
export function fromHere(definition: Definition, nodeId: string): string[] {
  const downstream = reachable(definition, [nodeId], 'downstream');
  return definition.nodes.map((node) => node.id).filter((id) => downstream.has(id));
}

function reachable(definition: Definition, start: string[], direction: 'upstream' | 'downstream'): Set<string> {
  const seen = new Set(start);
  const pending = [...start];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const edge of definition.edges) {
      const [from, to] =
        direction === 'upstream' ? [edge.to.node_id, edge.from.node_id] : [edge.from.node_id, edge.to.node_id];
      if (from === current && !seen.has(to)) {
        seen.add(to);
        pending.push(to);
      }
    }
  }
  return seen;
}

/** The body of `POST /v1/workflows/{id}/runs[/sync]` for a test run followed in debugger session `session`. */
export function testRunBody(
  target: RunTarget,
  input: Record<string, unknown>,
  session: string,
  versionId: string | undefined,
): Record<string, unknown> {
  return {
    input,
    debugger: session,
    ...(versionId ? { workflow_version_id: versionId } : {}),
    ...(target.kind === 'nodes' ? { node_ids: target.nodeIds } : {}),
    ...(target.kind === 'single' ? { single_node_id: target.nodeId } : {}),
  };
}

/** A fresh debugger session name (the API allows 1–128 of letters, digits, `. _ : -`). */
export function newSessionName(): string {
  return `editor-${crypto.randomUUID()}`;
}
