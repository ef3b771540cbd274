import { api, ApiError } from './api';
import type { Definition, Run, Workflow, WorkflowVersion } from './types';

export interface RunDefinition {
  definition: Definition;
  /** Why the drawn graph may differ from what the run executed, if it may. */
  caveat?: string;
}

/**
 * The graph to draw for a run. The API does not return the definition a run recorded, so this is
 * the version it ran, or the workflow's draft (which may have been edited since the run started).
 */
export async function loadRunDefinition(run: Run, signal?: AbortSignal): Promise<RunDefinition> {
  try {
    if (run.workflow_version_id) {
      const version = await api.get<WorkflowVersion>(
        `/v1/workflows/${run.workflow_id}/versions/${run.workflow_version_id}`,
        signal,
      );
      return { definition: version.definition };
    }
    const workflow = await api.get<Workflow>(`/v1/workflows/${run.workflow_id}`, signal);
    const edited = new Date(workflow.updated_at) > new Date(run.created_at);
    return {
      definition: workflow.definition,
      caveat: edited ? 'The draft was edited after this run started; the graph shows the current draft.' : undefined,
    };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      return {
        definition: { nodes: [], edges: [] },
        caveat: 'The workflow was deleted; only the nodes that ran are shown.',
      };
    }
    throw error;
  }
}

/** The definition plus any node the run reported that it does not contain (drawn without edges). */
export function withReportedNodes(definition: Definition, reported: Record<string, { nodeType?: string }>): Definition {
  const known = new Set(definition.nodes.map((node) => node.id));
  const extra = Object.entries(reported)
    .filter(([nodeId]) => !known.has(nodeId))
    .map(([nodeId, node]) => ({ id: nodeId, type: node.nodeType ?? 'unknown' }));
  return extra.length ? { ...definition, nodes: [...definition.nodes, ...extra] } : definition;
}
