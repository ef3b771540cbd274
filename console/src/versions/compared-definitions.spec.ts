import { describe, expect, it } from '@jest/globals';
import type { Workflow, WorkflowVersion } from '../types';
import { comparableDefinitions, defaultComparison, DRAFT_KEY } from './compared-definitions';

const definition = { nodes: [], edges: [] };
const workflow = { id: 'w', revision: 4, definition } as unknown as Workflow;
const version = (number: number) =>
  ({ id: `v${number}`, number, name: `release ${number}`, definition }) as unknown as WorkflowVersion;

describe('comparableDefinitions', () => {
  it('offers the draft first, then each version by number and name', () => {
    expect(comparableDefinitions(workflow, [version(2), version(1)]).map(({ key, label }) => [key, label])).toEqual([
      [DRAFT_KEY, 'the draft (revision 4)'],
      ['v2', 'version 2 (release 2)'],
      ['v1', 'version 1 (release 1)'],
    ]);
  });

  it('opens on the newest version against the draft, and on nothing without versions', () => {
    expect(defaultComparison([version(2), version(1)])).toEqual({ before: 'v2', after: DRAFT_KEY });
    expect(defaultComparison([])).toBeUndefined();
  });
});
