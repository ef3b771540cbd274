/**
 * What the node catalog (GET /v1/nodes) says of a node type: plain shapes with no imports, so the
 * console can use them as they are.
 */

/** A JSON Schema (draft 2020-12 subset understood by Ajv) describing a node's `config`. */
export type JsonSchema = Record<string, unknown>;

export interface InputConnector {
  name: string;
  /** A required input must be fed by an edge (or, for single-node runs, by the run input). */
  required: boolean;
  description?: string;
}

export interface OutputConnector {
  name: string;
  description?: string;
}

/** What `GET /v1/nodes` shows for one type. */
export interface NodeTypeDescription {
  type: string;
  description: string;
  config_schema: JsonSchema;
  /** Connectors for the default config; `connectors_from_config` says whether they vary with config. */
  inputs: InputConnector[];
  outputs: OutputConnector[];
  /** e.g. "one input per ((placeholder)) in template"; absent when connectors are static. */
  connectors_from_config?: string;
  example?: NodeExample;
}

/** A worked example for the catalog: a config, values for its inputs, and the outputs they give. */
export interface NodeExample {
  config: Record<string, unknown>;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}
