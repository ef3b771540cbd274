import { ApiError } from '../api';
import type { PayloadField } from '../payload-form';
import type { InputConnector } from '../../../src/execution/node-catalog';

/**
 * The fields of "Run this node": one JSON field per input connector of the node (the run input of
 * a `single_node_id` run is keyed by connector name).
 */
export function connectorFields(connectors: InputConnector[]): PayloadField[] {
  return connectors.map((connector) => ({
    name: connector.name,
    type: 'any',
    typeName: 'JSON',
    required: connector.required,
    description: connector.description,
  }));
}

/** Starting texts: the values the node received in the last test run, so it can be run again with them. */
export function lastInputTexts(fields: PayloadField[], lastInputs: unknown): Record<string, string> {
  if (typeof lastInputs !== 'object' || lastInputs === null) return {};
  const inputs = lastInputs as Record<string, unknown>;
  return Object.fromEntries(
    fields
      .filter((field) => inputs[field.name] !== undefined)
      .map((field) => [field.name, JSON.stringify(inputs[field.name])]),
  );
}

/** A refused single-node run's `input.<connector>` errors, by connector name. */
export function connectorErrors(failure: unknown): Record<string, string> {
  if (!(failure instanceof ApiError)) return {};
  return Object.fromEntries(
    failure.fieldErrors
      .filter((problem) => problem.field.startsWith('input.'))
      .map((problem) => [problem.field.slice('input.'.length), problem.message]),
  );
}
