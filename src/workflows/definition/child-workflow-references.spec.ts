import { describe, expect, it } from '@jest/globals';
import type { WorkflowDefinition } from '../../execution/definition.js';
import { MAX_WORKFLOW_DEPTH } from '../../execution/nodes/child-workflow.js';
import { checkWorkflowCalls, type LoadDefinition } from './child-workflow-references.js';

const calling = (...calls: [type: string, workflowId: string, versionId?: string][]): WorkflowDefinition => ({
  nodes: calls.map(([type, workflowId, versionId], i) => ({
    id: `n${i}`,
    type,
    config: { workflow_id: workflowId, ...(versionId ? { workflow_version_id: versionId } : {}) },
  })),
  edges: [],
});

/** Stored definitions by "id" (drafts) and "id:version". */
function store(entries: Record<string, WorkflowDefinition>): LoadDefinition {
  return async (id, versionId) => entries[versionId ? `${id}:${versionId}` : id] ?? null;
}

describe('checkWorkflowCalls', () => {
  it('accepts calls to existing workflows, drafts and versions', async () => {
    const load = store({ b: calling(['MapNode', 'c']), c: calling(), 'c:v1': calling() });
    expect(await checkWorkflowCalls('a', calling(['WorkflowNode', 'b'], ['MapNode', 'c', 'v1']), load)).toEqual([]);
  });

  it('names calls to missing workflows and versions', async () => {
    const load = store({ b: calling() });
    expect(await checkWorkflowCalls(null, calling(['WorkflowNode', 'x'], ['MapNode', 'b', 'v9']), load)).toEqual([
      { field: 'definition.nodes[0].config.workflow_id', message: 'no workflow x in this group' },
      { field: 'definition.nodes[1].config.workflow_version_id', message: 'is not a version of workflow b' },
    ]);
  });

  it('refuses a workflow calling itself, directly or through others', async () => {
    const load = store({ a: calling(), b: calling(['WorkflowNode', 'c']), c: calling(['MapNode', 'a']) });
    expect(await checkWorkflowCalls('a', calling(['WorkflowNode', 'a']), load)).toEqual([
      {
        field: 'definition.nodes[0].config.workflow_id',
        message: 'calls this workflow back (a → a); a workflow cannot call itself',
      },
    ]);
    expect((await checkWorkflowCalls('a', calling(['WorkflowNode', 'b']), load))[0].message).toBe(
      'calls this workflow back (a → b → c → a); a workflow cannot call itself',
    );
  });

  it(`refuses calls nesting more than ${MAX_WORKFLOW_DEPTH} deep`, async () => {
    const chain: Record<string, WorkflowDefinition> = { w6: calling() };
    for (let i = 1; i <= 5; i++) chain[`w${i}`] = calling(['WorkflowNode', `w${i + 1}`]);
    const load = store(chain);
    expect(await checkWorkflowCalls('top', calling(['WorkflowNode', 'w2']), load)).toEqual([]);
    const [problem] = await checkWorkflowCalls('top', calling(['WorkflowNode', 'w1']), load);
    expect(problem.message).toBe('nests child workflows more than 5 deep (top → w1 → w2 → w3 → w4 → w5 → w6)');
  });
});
