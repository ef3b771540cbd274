import { describe, expect, it } from '@jest/globals';
import { definitionProblems, firstTick, scheduleProblems, underField } from './import-checks.js';
import type { WorkflowPlan } from './import-plan.js';

const asking = {
  nodes: [
    { id: 'q', type: 'InputNode', config: { label: 'Question', type: 'int' } },
    { id: 'a', type: 'OutputNode', config: { label: 'Answer' } },
  ],
  edges: [{ from: { node_id: 'q', output: 'value' }, to: { node_id: 'a', input: 'value' } }],
};

const plan = (fields: Partial<WorkflowPlan>): WorkflowPlan =>
  ({ writtenDefinitions: [], newSchedules: [], ...fields }) as WorkflowPlan;
const schedule = {
  cron: '0 9 * * *',
  timezone: 'UTC',
  workflowVersionId: null,
  callbackUrl: null,
  enabled: true,
  metadata: {},
};

describe('import checks', () => {
  it('validates written definitions as a save does, under their path in the body', () => {
    const problems = definitionProblems(
      plan({
        writtenDefinitions: [
          {
            field: 'workflows[1].versions[0].definition',
            definition: { nodes: [{ id: 'x', type: 'Nope' }], edges: [] },
          },
          { field: 'definition', definition: asking },
        ],
      }),
    );
    expect(problems.map((p) => p.field)).toEqual(['workflows[1].versions[0].definition.nodes[0].type']);
  });

  it('refuses a definition over 1 MB among the other problems', () => {
    const huge = {
      nodes: [{ id: 't', type: 'TextTemplateNode', config: { template: 'x'.repeat(1024 * 1024) } }],
      edges: [],
    };
    expect(definitionProblems(plan({ writtenDefinitions: [{ field: 'definition', definition: huge }] }))).toEqual([
      { field: 'definition', message: expect.stringContaining('at most 1048576') },
    ]);
  });

  it('checks a new schedule input against the definition it runs', () => {
    const problems = scheduleProblems(
      plan({
        newSchedules: [
          { ...schedule, field: 'schedules[0]', input: { Question: 4 }, definition: asking },
          { ...schedule, field: 'schedules[1]', input: { Question: 'four' }, definition: asking },
        ],
      }),
    );
    expect(problems).toEqual([{ field: expect.stringMatching(/^schedules\[1\]\.input/), message: expect.any(String) }]);
  });

  it('names the document keys of calls, and the first tick of enabled schedules only', () => {
    expect(
      underField({ field: 'definition.nodes[0].config.workflow_id', message: 'm' }, 'versions[2].definition'),
    ).toEqual({
      field: 'versions[2].definition.nodes[0].config.workflow',
      message: 'm',
    });
    const now = new Date('2026-12-04T08:00:00Z');
    expect(firstTick({ cron: '0 9 * * *', timezone: 'UTC', enabled: true }, now)).toEqual(
      new Date('2026-12-04T09:00:00Z'),
    );
    expect(firstTick({ cron: '0 9 * * *', timezone: 'UTC', enabled: false }, now)).toBeNull();
  });
});
