import { describe, expect, it } from '@jest/globals';
import { buildExportDocument, type ExportSource } from './export-document.js';

const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const call = (config: Record<string, unknown>) => ({
  nodes: [
    { id: 't', type: 'TextTemplateNode', config: { template: '((secrets.ZED)) and ((secrets.ALPHA))' } },
    { id: 'c', type: 'WorkflowNode', config },
  ],
  edges: [],
});

const source = (definition: unknown): ExportSource => ({
  workflow: { slug: 'caller', name: 'Caller', description: null, definition },
  versions: [
    { id: 'v1', number: 1, name: 'v1', description: 'first', definition: call({ workflow_id: B }) },
    {
      id: 'v2',
      number: 2,
      name: 'two',
      description: null,
      definition: { nodes: [{ id: 'x', type: 'FailNode', config: { message: '((secrets.BETA))' } }], edges: [] },
    },
  ],
  schedules: [
    {
      cron: '0 9 * * *',
      timezone: 'UTC',
      workflow_version_id: 'v2',
      input: {},
      callback_url: null,
      enabled: true,
      metadata: {},
    },
    {
      cron: '0 10 * * *',
      timezone: 'UTC',
      workflow_version_id: null,
      input: { b: 1, a: 2 },
      callback_url: null,
      enabled: false,
      metadata: {},
    },
  ],
  called: { slugOf: (id) => (id === B ? 'callee' : undefined), versionNumberOf: () => undefined },
});

describe('buildExportDocument', () => {
  it('writes the document keys in order, versions and schedules by number, and what it requires, sorted', () => {
    const built = buildExportDocument(source(call({ workflow_id: B })));
    expect(built.problems).toBeUndefined();
    if (!('document' in built)) throw new Error(`no document: ${JSON.stringify(built.problems)}`);
    const { document } = built;
    expect(Object.keys(document)).toEqual([
      'runloom',
      'slug',
      'name',
      'description',
      'definition',
      'versions',
      'schedules',
      'requires',
    ]);
    expect(document.requires).toEqual({ workflows: ['callee'], secrets: ['ALPHA', 'BETA', 'ZED'] });
    expect(document.versions.map((v) => [v.number, v.name, v.description])).toEqual([
      [1, 'v1', 'first'],
      [2, 'two', null],
    ]);
    expect(document.schedules.map((s) => s.version)).toEqual([2, null]);
    expect(JSON.stringify(document.schedules[1].input)).toBe('{"b":1,"a":2}');
  });

  it('answers every call without a slug instead of a document', () => {
    const built = buildExportDocument(source(call({ workflow_id: 'cccccccc-0000-4000-8000-000000000003' })));
    expect(built.problems?.map((p) => p.field)).toEqual(['definition.nodes[1].config.workflow_id']);
  });
});
