import { ApiError } from '../api';
import type { PayloadField } from '../payload-form';
import type { Definition } from '../types';

/** An input port of a node, as `POST /v1/workflows/validate` lists it. */
export interface InputConnector {
  name: string;
  required: boolean;
  description?: string;
}

/**
 * The fields of "Run this node": one JSON field per input connector of the node (the run input of
 * a `single_node_id` run is keyed by connector name). The connectors are the validate endpoint's
 * when known, else the inputs the node's incoming edges name.
 */
export function connectorFields(definition: Definition, nodeId: string, connectors?: InputConnector[]): PayloadField[] {
  const known =
    connectors ??
    [...new Set(definition.edges.filter((edge) => edge.to.node_id === nodeId).map((edge) => edge.to.input))].map(
      (name): InputConnector => ({ name, required: true }),
    );
  return known.map((connector) => ({
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
