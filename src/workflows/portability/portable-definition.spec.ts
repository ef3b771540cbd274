import { describe, expect, it } from '@jest/globals';
import { calledSlugs, toPortableDefinition, toStoredDefinition } from './portable-definition.js';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const A_V2 = 'aaaaaaaa-0000-4000-8000-0000000000f2';

const stored = {
  edges: [],
  nodes: [
    { id: 'in', type: 'InputNode', config: { label: 'x' } },
    { type: 'MapNode', id: 'each', config: { concurrency: 2, workflow_id: A, on_item_error: 'collect' } },
    {
      id: 'call',
      config: { inputs: ['x'], workflow_version_id: A_V2, workflow_id: A, outputs: [] },
      type: 'WorkflowNode',
    },
  ],
};

const portable = {
  edges: [],
  nodes: [
    { id: 'in', type: 'InputNode', config: { label: 'x' } },
    { type: 'MapNode', id: 'each', config: { concurrency: 2, workflow: 'shorten', on_item_error: 'collect' } },
    {
      id: 'call',
      config: { inputs: ['x'], workflow_version: 2, workflow: 'shorten', outputs: [] },
      type: 'WorkflowNode',
    },
  ],
};

const names = {
  slugOf: (id: string) => (id === A ? 'shorten' : undefined),
  versionNumberOf: (id: string) => (id === A_V2 ? 2 : undefined),
};
const ids = {
  workflowIdOf: (slug: string) => (slug === 'shorten' ? A : undefined),
  versionIdOf: (slug: string, number: number) => (slug === 'shorten' && number === 2 ? A_V2 : undefined),
};

describe('portable definitions', () => {
  it('writes calls by slug and version number in place of the ids, every other key where it was', () => {
    const converted = toPortableDefinition(stored, names);
    expect(converted.problems).toEqual([]);
    expect(JSON.stringify(converted.definition)).toBe(JSON.stringify(portable));
  });

  it('reads them back to ids, exactly the stored text', () => {
    const converted = toStoredDefinition(portable, ids, 'definition');
    expect(converted.problems).toEqual([]);
    expect(JSON.stringify(converted.definition)).toBe(JSON.stringify(stored));
  });

  it('keeps an explicit null version (the draft) as null', () => {
    const draftCall = {
      nodes: [{ id: 'c', type: 'WorkflowNode', config: { workflow_id: A, workflow_version_id: null } }],
      edges: [],
    };
    const out = toPortableDefinition(draftCall, names).definition as typeof draftCall;
    expect(out.nodes[0].config).toEqual({ workflow: 'shorten', workflow_version: null });
    expect(toStoredDefinition(out, ids, 'definition').definition).toEqual(draftCall);
  });

  it('names each call export cannot write by slug', () => {
    const other = 'bbbbbbbb-0000-4000-8000-000000000002';
    const definition = { nodes: [{ id: 'c', type: 'WorkflowNode', config: { workflow_id: other } }], edges: [] };
    expect(toPortableDefinition(definition, names, 'versions[0].definition').problems).toEqual([
      {
        field: 'versions[0].definition.nodes[0].config.workflow_id',
        message: expect.stringContaining(`${other}, which has no slug`),
      },
    ]);
  });

  it('names each call import cannot resolve, and calls still written by id', () => {
    const definition = {
      nodes: [
        { id: 'a', type: 'WorkflowNode', config: { workflow: 'missing' } },
        { id: 'b', type: 'WorkflowNode', config: { workflow: 'shorten', workflow_version: 7 } },
        { id: 'c', type: 'MapNode', config: { workflow_id: A } },
        { id: 'd', type: 'WorkflowNode', config: { workflow: 3 } },
        { id: 'e', type: 'TextTemplateNode', config: { workflow: 'not a call' } },
      ],
      edges: [],
    };
    expect(toStoredDefinition(definition, ids, 'workflows[1].definition').problems.map((p) => p.field)).toEqual([
      'workflows[1].definition.nodes[0].config.workflow',
      'workflows[1].definition.nodes[1].config.workflow_version',
      'workflows[1].definition.nodes[2].config.workflow_id',
      'workflows[1].definition.nodes[3].config.workflow',
    ]);
  });

  it('leaves what is no definition for the validator to report', () => {
    expect(toStoredDefinition({ nodes: 'x' }, ids, 'definition')).toEqual({ definition: { nodes: 'x' }, problems: [] });
  });

  it('lists the slugs a definition calls, once each', () => {
    expect(calledSlugs(portable)).toEqual(['shorten']);
    expect(calledSlugs(null)).toEqual([]);
  });
});
