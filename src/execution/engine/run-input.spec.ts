import { describe, expect, it } from '@jest/globals';
import type { WorkflowDefinition } from '../definition.js';
import { resolveRunInput, type RunInputResult } from './run-input.js';
import { planRun, type RunSelection } from './run-plan.js';
import { inputNode, registryWith, step, StepRecorder, workflow } from './testing/step-node.js';

const registry = registryWith(new StepRecorder());

const graph = workflow(
  {
    question: inputNode({ label: 'User Question', type: 'str' }),
    context: inputNode({ label: 'Context', default: '' }),
    count: inputNode({ type: 'int' }),
    use: step({ inputs: ['q', 'c'] }),
    tally: step({ inputs: ['n'], optionalInputs: ['extra'] }),
  },
  ['question.value -> use.q', 'context.value -> use.c', 'count.value -> tally.n'],
);

function resolve(input: unknown, selection: RunSelection = {}, definition: WorkflowDefinition = graph): RunInputResult {
  const planned = planRun(definition, registry, selection);
  if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  return resolveRunInput(planned.plan, input);
}

function problemsOf(result: RunInputResult) {
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('resolveRunInput', () => {
  it('takes values by label or node id and applies defaults', () => {
    const result = resolve({ 'User Question': 'why?', count: 3 });
    expect(result.ok && Object.fromEntries(result.input.inputNodeValues)).toEqual({
      question: 'why?',
      context: '',
      count: 3,
    });
    const byId = resolve({ question: 'why?', count: 3, Context: 'ctx' });
    expect(byId.ok && byId.input.inputNodeValues.get('context')).toBe('ctx');
  });

  it('refuses an input that is not an object', () => {
    for (const input of [null, [], 'text', 3]) {
      expect(problemsOf(resolve(input))).toEqual([
        { field: 'input', message: expect.stringMatching(/^must be an object/) },
      ]);
    }
  });

  it('reports an unknown key, listing the valid ones', () => {
    expect(problemsOf(resolve({ 'User Question': 'q', count: 1, nope: 1 }))).toEqual([
      {
        field: 'input.nope',
        message: 'unknown input "nope"; valid keys: "User Question", "question", "Context", "context", "count"',
      },
    ]);
  });

  it('reports a missing input that has no default, naming its label', () => {
    expect(problemsOf(resolve({ count: 1 }))).toEqual([
      { field: 'input.User Question', message: 'missing input "User Question" (type str)' },
    ]);
  });

  it('only needs the InputNodes that will run, yet accepts keys of the others', () => {
    // tally needs only count; question is neither required nor refused.
    const result = resolve({ count: 2, question: 'ignored' }, { nodeIds: ['tally'] });
    expect(result.ok && [...result.input.inputNodeValues]).toEqual([['count', 2]]);
  });

  it('reports values of the wrong type', () => {
    const problems = problemsOf(resolve({ 'User Question': 42, count: 1.5 }));
    expect(problems).toEqual([
      { field: 'input.User Question', message: 'must be a string (type str), got integer 42' },
      { field: 'input.count', message: 'must be an integer (type int), got number 1.5' },
    ]);
  });

  it('checks each InputNode against its own declared type (matchesInputType is tested with InputNode)', () => {
    const typed = (type: string) => workflow({ v: inputNode({ type }) });
    expect(resolve({ v: [1] }, {}, typed('list')).ok).toBe(true);
    expect(resolve({ v: [1] }, {}, typed('dict')).ok).toBe(false);
    expect(resolve({ v: null }, {}, typed('any')).ok).toBe(true);
  });

  it('reports one InputNode given twice, by label and by id', () => {
    expect(problemsOf(resolve({ 'User Question': 'a', question: 'b', count: 1 }))).toEqual([
      { field: 'input.question', message: 'input "User Question" is given twice (as "User Question" and "question")' },
    ]);
  });

  describe('for a single-node run', () => {
    it('takes the node inputs by connector name', () => {
      const result = resolve({ n: 5, extra: 'x' }, { singleNodeId: 'tally' });
      expect(result.ok && result.input.connectorValues).toEqual({ n: 5, extra: 'x' });
    });

    it('requires every required connector and refuses unknown ones', () => {
      expect(problemsOf(resolve({ q: 'x', zzz: 1 }, { singleNodeId: 'use' }))).toEqual([
        { field: 'input.zzz', message: 'node "use" has no input "zzz"; valid keys: "q", "c"' },
        { field: 'input.c', message: 'missing required input "c" of node "use"' },
      ]);
    });

    it('gives an InputNode run alone its value the usual way', () => {
      const result = resolve({ 'User Question': 'alone' }, { singleNodeId: 'question' });
      expect(result.ok && [...result.input.inputNodeValues]).toEqual([['question', 'alone']]);
    });
  });
});
