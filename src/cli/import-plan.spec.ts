import { describe, expect, it } from '@jest/globals';
import { documentDiff, errorsByFile, hasChanges, renderPlan, type ImportResult } from './import-plan.js';
import type { WorkflowFile } from './workflow-files.js';

const definition = (template: string) => ({
  nodes: [{ id: 'prompt', type: 'TextTemplateNode', config: { template } }],
  edges: [],
});
const doc = (template: string) => ({
  runloom: 'workflow/v1',
  slug: 'summarize',
  name: 'Summarize',
  description: null,
  definition: definition(template),
  versions: [],
  schedules: [],
  requires: { workflows: [], secrets: [] },
});
const files: WorkflowFile[] = [
  { name: 'other.yaml', document: { slug: 'other' } },
  { name: 'summarize.yaml', document: doc('new') },
];

describe('documentDiff', () => {
  it('shows the changed lines of the definition in a unified diff headed by the server and the file', async () => {
    const diff = await documentDiff(doc('old'), doc('new'), 'summarize.yaml');
    expect(diff.split('\n')).toEqual([
      '--- summarize (server)',
      '+++ summarize.yaml',
      '@@ -5,5 +5,5 @@',
      '     - id: prompt',
      '       type: TextTemplateNode',
      '       config:',
      '-        template: old',
      '+        template: new',
      '   edges: []',
    ]);
  });

  it('leaves versions, schedules and requires out of the line diff', async () => {
    const current = { ...doc('same'), versions: [{ number: 1 }] };
    expect(await documentDiff(current, doc('same'), 'summarize.yaml')).not.toContain('@@');
  });
});

describe('renderPlan', () => {
  const result: ImportResult = {
    dry_run: true,
    workflows: [
      { slug: 'other', workflow_id: 'id-1', action: 'unchanged', changes: [] },
      {
        slug: 'summarize',
        workflow_id: 'id-2',
        action: 'updated',
        changes: [
          { target: 'workflow', field: 'definition', change: 'updated' },
          { target: 'version', number: 3, change: 'created' },
          { target: 'schedule', cron: '0 9 * * 1-5', change: 'deleted' },
        ],
      },
      { slug: 'fresh', workflow_id: null, action: 'created', changes: [] },
    ],
  };

  it('lists each workflow with its file, its changes and its diff, then the counts', () => {
    const lines = renderPlan(result, files, new Map([['summarize', '--- a\n+++ b']]));
    expect(lines).toEqual([
      'other (other.yaml): unchanged',
      'summarize (summarize.yaml): updated',
      '  definition: updated',
      '  version 3: created',
      '  schedule "0 9 * * 1-5": deleted',
      '    --- a',
      '    +++ b',
      'fresh: created',
      'Would be: 1 created, 1 updated, 1 unchanged.',
    ]);
    expect(hasChanges(result)).toBe(true);
    expect(hasChanges({ dry_run: true, workflows: [result.workflows[0]] })).toBe(false);
  });
});

describe('errorsByFile', () => {
  it('puts each error of a bundle under the file it came from', () => {
    expect(
      errorsByFile(
        [
          { field: 'workflows[1].definition.nodes[0].config', message: 'template is required' },
          { field: 'workflows.0', message: 'slug is missing' },
          { field: 'requires.secrets', message: 'OPENAI_KEY is not a secret of the group' },
        ],
        files,
      ),
    ).toEqual([
      '  - summarize.yaml: definition.nodes[0].config: template is required',
      '  - other.yaml: slug is missing',
      '  - requires.secrets: OPENAI_KEY is not a secret of the group',
    ]);
  });
});
