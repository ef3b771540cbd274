import { describe, expect, it } from '@jest/globals';
import type { WorkflowDefinition } from '../definition.js';
import { builtInNodeTypes } from '../nodes/index.js';
import { runWorkflow, statuses } from './testing/run-workflow.js';
import { workflow } from './testing/step-node.js';

/** The seed workflow the README runs (examples/seed-workflow.ts). */
const beginnerAnswers: WorkflowDefinition = workflow(
  {
    question: { type: 'InputNode', config: { label: 'User Question', type: 'str' } },
    context: { type: 'InputNode', config: { label: 'Context', type: 'str', default: '' } },
    prompt: { type: 'TextTemplateNode', config: { template: '((q)) — ((c))' } },
    answer: { type: 'OutputNode', config: { label: 'Answer' } },
  },
  ['question.value -> prompt.q', 'context.value -> prompt.c', 'prompt.text -> answer.value'],
);

/** A score is routed by a ConditionNode: high scores are transformed, low ones fail the run. */
const scoreRouter: WorkflowDefinition = workflow(
  {
    score: { type: 'InputNode', config: { type: 'float' } },
    check: { type: 'ConditionNode', config: { expression: '$ > 0.5' } },
    shape: { type: 'TransformNode', config: { expression: '{"score": $, "verdict": "pass"}' } },
    result: { type: 'OutputNode', config: { label: 'Result' } },
    reject: { type: 'FailNode', config: { message: 'score ((value)) is too low' } },
  },
  [
    'score.value -> check.value',
    'check.true -> shape.data',
    'shape.result -> result.value',
    'check.false -> reject.value',
  ],
);

describe('DagRunner with the built-in node types', () => {
  it('runs the seed workflow of the README, applying the default of an omitted input', async () => {
    const result = await runWorkflow(beginnerAnswers, builtInNodeTypes, {
      input: { 'User Question': 'What is a DAG?' },
    });
    expect(result.status).toBe('completed');
    expect(result.output).toEqual({ Answer: 'What is a DAG? — ' });
  });

  it('takes the ConditionNode branch that holds, skipping the FailNode on the other', async () => {
    const result = await runWorkflow(scoreRouter, builtInNodeTypes, { input: { score: 0.9 } });
    expect(result.status).toBe('completed');
    expect(result.output).toEqual({ Result: { score: 0.9, verdict: 'pass' } });
    expect(statuses(result)).toMatchObject({ shape: 'completed', reject: 'skipped' });
  });

  it('fails the run through the FailNode when the other branch is taken', async () => {
    const result = await runWorkflow(scoreRouter, builtInNodeTypes, { input: { score: 0.2 } });
    expect(result.status).toBe('failed');
    expect(result.error).toEqual({ node_id: 'reject', message: 'score 0.2 is too low', type: 'fail_node' });
    expect(statuses(result)).toMatchObject({ check: 'completed', shape: 'skipped', reject: 'failed' });
    // Whether the OutputNode was reached (skipped) or not (pending) before the failure, it adds nothing.
    expect(result.output).toEqual({});
  });

  it('runs independent DelayNodes at the same time', async () => {
    const delays = workflow(
      Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`d${i}`, { type: 'DelayNode', config: { ms: 100 } }])),
    );
    const startedAt = performance.now();
    const result = await runWorkflow(delays, builtInNodeTypes);
    expect(result.status).toBe('completed');
    // Six 100 ms waits one after another would take 600 ms.
    expect(performance.now() - startedAt).toBeLessThan(400);
  });

  it('stops a DelayNode at once when the run is stopped', async () => {
    const stop = new AbortController();
    const long = workflow({ wait: { type: 'DelayNode', config: { ms: 4_900 } } });
    const startedAt = performance.now();
    setTimeout(() => stop.abort(), 20);
    const result = await runWorkflow(long, builtInNodeTypes, { options: { signal: stop.signal } });
    expect(result.status).toBe('stopped');
    expect(performance.now() - startedAt).toBeLessThan(5_000);
  });

  it('runs a TextTemplateNode alone on its connector inputs', async () => {
    const result = await runWorkflow(beginnerAnswers, builtInNodeTypes, {
      selection: { singleNodeId: 'prompt' },
      input: { q: 'Q', c: { n: 1 } },
    });
    expect(result.output).toEqual({ text: 'Q — {"n":1}' });
  });

  it('runs the upstream of node_ids and reports the listed node by id', async () => {
    const result = await runWorkflow(beginnerAnswers, builtInNodeTypes, {
      selection: { nodeIds: ['prompt'] },
      input: { 'User Question': 'Q', Context: 'C' },
    });
    expect([...result.nodes.keys()]).toEqual(['question', 'context', 'prompt']);
    expect(result.output).toEqual({ prompt: { text: 'Q — C' } });
  });
});
