/**
 * The example workflow ("Beginner answers"): two inputs (one with a default), a template, one
 * output. The README's curl examples, the tests and the benchmark all run this definition.
 */
export const SEED_DEFINITION = {
  nodes: [
    { id: 'question', type: 'InputNode', config: { label: 'User Question', type: 'str' } },
    { id: 'context', type: 'InputNode', config: { label: 'Context', type: 'str', default: '' } },
    { id: 'prompt', type: 'TextTemplateNode', config: { template: '((q)) — ((c))' } },
    { id: 'answer', type: 'OutputNode', config: { label: 'Answer' } },
  ],
  edges: [
    { from: { node_id: 'question', output: 'value' }, to: { node_id: 'prompt', input: 'q' } },
    { from: { node_id: 'context', output: 'value' }, to: { node_id: 'prompt', input: 'c' } },
    { from: { node_id: 'prompt', output: 'text' }, to: { node_id: 'answer', input: 'value' } },
  ],
};
