import { describe, expect, it } from '@jest/globals';
import type { ImportedDocument } from './import-document.js';
import { dependencyOrder } from './dependency-order.js';
import { planImport, type ExistingWorkflow } from './import-plan.js';
import type { DocumentSchedule, WorkflowDocument } from './workflow-document.js';

const text = (template: string) => ({
  nodes: [{ id: 't', type: 'TextTemplateNode', config: { template } }],
  edges: [],
});
const calling = (slug: string, version: number | null = null) => ({
  nodes: [{ id: 'c', type: 'WorkflowNode', config: { workflow: slug, workflow_version: version } }],
  edges: [],
});
const schedule = (cron: string, version: number | null = null): DocumentSchedule => ({
  cron,
  timezone: 'UTC',
  version,
  input: {},
  callback_url: null,
  enabled: true,
  metadata: {},
});

function doc(slug: string, fields: Partial<WorkflowDocument> = {}, at = ''): ImportedDocument {
  return {
    at,
    document: {
      runloom: 'workflow/v1',
      slug,
      name: slug,
      description: null,
      definition: text('hi'),
      versions: [],
      schedules: [],
      requires: { workflows: [], secrets: [] },
      ...fields,
    } as ImportedDocument['document'],
  };
}

function ids() {
  let next = 0;
  return () => `new-${++next}`;
}

const stored: ExistingWorkflow = {
  id: 'w1',
  slug: 'greet',
  name: 'greet',
  description: null,
  definition: text('hi'),
  versions: [{ id: 'w1v1', number: 1, name: 'v1', description: null, definition: text('first') }],
  schedules: [
    {
      id: 's1',
      cron: '0 9 * * *',
      timezone: 'UTC',
      workflowVersionId: null,
      input: {},
      callbackUrl: null,
      enabled: true,
      metadata: {},
    },
  ],
};
const existing = new Map([['greet', stored]]);

describe('planImport', () => {
  it('creates a new workflow with ids made up front, its versions in order and its schedules', () => {
    const { plans, problems } = planImport(
      [
        doc('fresh', {
          versions: [{ number: 1, description: 'one', definition: text('v1') }],
          schedules: [schedule('0 8 * * *', 1)],
        }),
      ],
      new Map(),
      ids(),
    );
    expect(problems).toEqual([]);
    expect(plans[0]).toMatchObject({
      slug: 'fresh',
      action: 'created',
      workflowId: 'new-2',
      write: { name: 'fresh', description: null, definition: text('hi') },
      newVersions: [{ id: 'new-1', number: 1, name: 'v1', description: 'one' }],
      newSchedules: [{ cron: '0 8 * * *', workflowVersionId: 'new-1', definition: text('v1') }],
      changes: [
        { target: 'workflow', change: 'created' },
        { target: 'version', number: 1, change: 'created' },
        { target: 'schedule', cron: '0 8 * * *', change: 'created' },
      ],
    });
  });

  it('changes nothing for a document equal to what is stored', () => {
    const same = doc('greet', {
      versions: [{ number: 1, description: null, definition: text('first') }],
      schedules: [schedule('0 9 * * *')],
    });
    const { plans, problems } = planImport([same], existing, ids());
    expect(problems).toEqual([]);
    expect(plans[0]).toMatchObject({
      action: 'unchanged',
      write: {},
      newVersions: [],
      newSchedules: [],
      deletedScheduleIds: [],
      changes: [],
    });
  });

  it('updates only what differs: a definition whose key order differs is a change', () => {
    const reordered = { edges: [], nodes: [{ type: 'TextTemplateNode', id: 't', config: { template: 'hi' } }] };
    const { plans } = planImport(
      [doc('greet', { name: 'Greet', definition: reordered, schedules: [schedule('0 10 * * *')] })],
      existing,
      ids(),
    );
    expect(plans[0].action).toBe('updated');
    expect(plans[0].write).toEqual({ name: 'Greet', definition: reordered });
    expect(plans[0].deletedScheduleIds).toEqual(['s1']);
    expect(plans[0].changes).toEqual([
      { target: 'workflow', field: 'name', change: 'updated' },
      { target: 'workflow', field: 'definition', change: 'updated' },
      { target: 'schedule', cron: '0 9 * * *', change: 'deleted' },
      { target: 'schedule', cron: '0 10 * * *', change: 'created' },
    ]);
  });

  it('refuses a changed version and new versions that skip numbers; keeps versions the document leaves out', () => {
    const changed = planImport(
      [doc('greet', { versions: [{ number: 1, description: 'rewritten', definition: text('first') }] })],
      existing,
      ids(),
    );
    expect(changed.problems).toEqual([{ field: 'versions[0]', message: expect.stringContaining('version conflict') }]);
    const skipping = planImport(
      [doc('greet', { versions: [{ number: 3, description: null, definition: text('x') }] })],
      existing,
      ids(),
    );
    expect(skipping.problems).toEqual([{ field: 'versions[0].number', message: expect.stringContaining('must be 2') }]);
    const fewer = planImport([doc('greet')], existing, ids());
    expect(fewer.problems).toEqual([]);
    expect(fewer.plans[0].newVersions).toEqual([]);
  });

  it('resolves calls to the bundle and the group, and names the ones that resolve to nothing', () => {
    const bundle = [
      doc(
        'caller',
        { definition: calling('callee', 1), requires: { workflows: ['callee', 'ghost'], secrets: [] } },
        'workflows[0].',
      ),
      doc('callee', { versions: [{ number: 1, description: null, definition: text('v1') }] }, 'workflows[1].'),
      doc('old', { definition: calling('greet', 1) }, 'workflows[2].'),
      doc('broken', { definition: calling('greet', 9) }, 'workflows[3].'),
    ];
    const { plans, problems } = planImport(bundle, existing, ids());
    expect(plans.map((plan) => plan.slug)).toEqual(['callee', 'caller', 'old', 'broken']);
    const callee = plans[0];
    expect(plans[1].write.definition).toEqual({
      nodes: [
        {
          id: 'c',
          type: 'WorkflowNode',
          config: { workflow_id: callee.workflowId, workflow_version_id: callee.newVersions[0].id },
        },
      ],
      edges: [],
    });
    expect(plans[2].write.definition).toMatchObject({
      nodes: [{ config: { workflow_id: 'w1', workflow_version_id: 'w1v1' } }],
    });
    expect(problems.map((problem) => problem.field)).toEqual([
      'workflows[0].requires.workflows[1]',
      'workflows[3].definition.nodes[0].config.workflow_version',
    ]);
  });

  it('collects the secret names of requires and of every definition', () => {
    const { plans } = planImport(
      [
        doc('s', {
          definition: text('((secrets.B))'),
          versions: [{ number: 1, description: null, definition: text('((secrets.A))') }],
          requires: { workflows: [], secrets: ['C'] },
        }),
      ],
      new Map(),
      ids(),
    );
    expect(plans[0].secrets).toEqual(['A', 'B', 'C']);
  });
});

describe('dependencyOrder', () => {
  it('puts a workflow after the ones of the bundle it calls, and keeps the order of a cycle', () => {
    const order = (documents: ImportedDocument[]) =>
      dependencyOrder(documents).map((imported) => imported.document.slug);
    expect(order([doc('a', { definition: calling('b') }), doc('b', { definition: calling('c') }), doc('c')])).toEqual([
      'c',
      'b',
      'a',
    ]);
    expect(order([doc('a', { definition: calling('b') }), doc('b', { definition: calling('a') })])).toEqual(['b', 'a']);
  });
});
