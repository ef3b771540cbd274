import { setMaxListeners } from 'node:events';
import { NodeFailure, type NodeContext } from '../node-type.js';
import type { ChildRunResult } from '../node-services.js';
import {
  childFailure,
  childRequest,
  childRunsOf,
  childWorkflowProperties,
  inputNamesProperty,
  type ChildWorkflowConfig,
} from './child-workflow.js';
import { defineNodeType } from './define-node-type.js';

export const MAX_MAP_ITEMS = 10_000;
export const DEFAULT_MAP_ITEMS = 1000;
export const MAX_MAP_CONCURRENCY = 32;
export const ON_ITEM_ERROR = ['fail', 'skip', 'collect'] as const;

export type MapNodeConfig = ChildWorkflowConfig & {
  item_input?: string;
  inputs?: string[];
  concurrency?: number;
  on_item_error?: (typeof ON_ITEM_ERROR)[number];
  max_items?: number;
};

export interface ItemError {
  index: number;
  /** Null when the item does not fit the child's input: no child run was created for it. */
  run_id: string | null;
  type: string;
  message: string;
}

export const MapNode = defineNodeType<MapNodeConfig>({
  type: 'MapNode',
  description:
    'Runs a workflow of the same group once per item of `items`, as child runs (at most `concurrency` ' +
    'at once), each with the item as its `item_input` input (plus the shared `inputs`). `results` holds ' +
    "the children's outputs in item order. on_item_error: fail (the first failed item fails the node and " +
    'stops the others), skip (failed items are left out of results), collect (null in results). `errors` ' +
    "lists failed items; an item that does not fit the child workflow's input fails with child_input_invalid " +
    'and run_id null, without a child run. Each finished item is a node.delta event. A resumed run does not ' +
    'run completed items again.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['workflow_id'],
    properties: {
      ...childWorkflowProperties,
      item_input: {
        type: 'string',
        minLength: 1,
        maxLength: 200,
        default: 'item',
        description: 'The child run input that receives the item.',
      },
      inputs: inputNamesProperty(
        'More child run inputs, the same for every item; each is a required input of this node.',
      ),
      concurrency: {
        type: 'integer',
        minimum: 1,
        maximum: MAX_MAP_CONCURRENCY,
        default: 4,
        description: 'Child runs at once.',
      },
      on_item_error: {
        enum: [...ON_ITEM_ERROR],
        default: 'fail',
        description:
          'fail: the node fails and stops the other items; skip: left out of results; collect: null in results.',
      },
      max_items: {
        type: 'integer',
        minimum: 1,
        maximum: MAX_MAP_ITEMS,
        default: DEFAULT_MAP_ITEMS,
        description: `A longer list fails the node with too_many_items (at most ${MAX_MAP_ITEMS}).`,
      },
    },
  },
  catalogConfig: { workflow_id: '00000000-0000-4000-8000-000000000000' },
  connectorsFromConfig: 'items, plus one required input per name in inputs',
  inputs: (config) => [
    { name: 'items', required: true, description: 'the list to run the workflow over' },
    ...(config.inputs ?? []).map((name) => ({ name, required: true, description: 'passed to every child run' })),
  ],
  outputs: () => [
    { name: 'results', description: 'child outputs in item order' },
    { name: 'errors', description: '[{index, run_id, type, message}] of failed items (run_id null: no child run)' },
  ],
  checkConfig: (config) =>
    (config.inputs ?? []).includes(config.item_input ?? 'item')
      ? [{ path: 'inputs', message: `must not repeat item_input "${config.item_input ?? 'item'}"` }]
      : config.inputs?.includes('items')
        ? [{ path: 'inputs', message: '"items" is the list input of this node' }]
        : [],
  hasExternalEffects: true,
  async execute(inputs, ctx) {
    const { items, ...shared } = inputs;
    const maxItems = ctx.config.max_items ?? DEFAULT_MAP_ITEMS;
    if (!Array.isArray(items)) throw new NodeFailure(`items must be a list, got ${typeof items}`, 'invalid_items');
    if (items.length > maxItems) {
      throw new NodeFailure(`${items.length} items; this map takes at most ${maxItems} (max_items)`, 'too_many_items');
    }
    return mapItems(items, shared, ctx);
  },
});

async function mapItems(items: unknown[], shared: Record<string, unknown>, ctx: NodeContext<MapNodeConfig>) {
  const childRuns = childRunsOf(ctx);
  const itemInput = ctx.config.item_input ?? 'item';
  const onItemError = ctx.config.on_item_error ?? 'fail';
  // Aborted by the run, or by the first failed item when on_item_error is fail.
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const abort = () => controller.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', abort, { once: true });
  const results: ChildRunResult[] = new Array(items.length);
  let next = 0;
  let done = 0;
  let firstFailure: number | undefined;
  let thrown: unknown;

  const worker = async () => {
    while (next < items.length && !controller.signal.aborted) {
      const index = next++;
      const input = { ...shared, [itemInput]: items[index] };
      let result: ChildRunResult;
      try {
        result = await childRuns.run(childRequest(ctx, input, index, controller.signal));
      } catch (error) {
        // An item that could not start (too many descendants, a missing workflow) ends the map; one
        // whose input does not fit the child is a failed item instead (a result, not an error).
        thrown ??= error;
        controller.abort(error);
        return;
      }
      results[index] = result;
      done++;
      ctx.emitDelta({ item: { index, status: result.status, run_id: result.runId }, done, total: items.length });
      if (result.status !== 'completed' && onItemError === 'fail' && !controller.signal.aborted) {
        firstFailure = index;
        controller.abort(new Error(`item ${index} failed`));
      }
    }
  };
  try {
    const concurrency = Math.min(ctx.config.concurrency ?? 4, Math.max(items.length, 1));
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    ctx.signal.removeEventListener('abort', abort);
  }
  if (firstFailure !== undefined) {
    const failure = childFailure(results[firstFailure]);
    throw new NodeFailure(`item ${firstFailure}: ${failure.message}`, failure.type);
  }
  if (ctx.signal.aborted) throw new NodeFailure('the map was stopped', 'child_run_stopped');
  if (thrown !== undefined) throw thrown;
  return collect(results, onItemError);
}

function collect(results: ChildRunResult[], onItemError: string) {
  const errors: ItemError[] = [];
  const outputs: unknown[] = [];
  results.forEach((result, index) => {
    if (result.status === 'completed') {
      outputs.push(result.output);
      return;
    }
    const error = childFailure(result);
    errors.push({ index, run_id: result.runId, type: error.type, message: error.message });
    if (onItemError === 'collect') outputs.push(null);
  });
  return { results: outputs, errors };
}
