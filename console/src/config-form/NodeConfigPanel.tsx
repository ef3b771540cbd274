import { useId, useMemo, useState } from 'react';
import type { FieldError } from '../api';
import type { InputConnector, NodeTypeDescription, OutputConnector } from '../../../src/execution/node-catalog';
import { FieldErrorList } from '../components/common';
import { TypedField } from '../components/TypedField';
import type { JsonSchema, NodeDefinition } from '../types';
import { placeFieldProblems, shownPaths } from './field-problems';
import { fieldsFor, withKey } from './field-values';
import { ObjectFields, SchemaField, type FormContext } from './SchemaField';
import { configFieldsFor, nodeForms } from './node-forms';
import './config-form.css';

/**
 * A node's config as a form generated from its type's JSON Schema, with the node policies
 * (retry, timeout, on_error) generated the same way from `policySchema`. Every change gives the
 * whole node to `onChange`; its id may change (the editor renames its edges). Mount it with a
 * `key` per selected node, so the fields switched to JSON are those of the node shown.
 */
export function NodeConfigPanel({
  node,
  nodeType,
  policySchema,
  problems,
  connectors,
  onChange,
}: {
  node: NodeDefinition;
  nodeType: NodeTypeDescription;
  policySchema: JsonSchema;
  /** Paths relative to the node: `id`, `config.template`, `retry.max_attempts`. */
  problems: FieldError[];
  connectors?: { inputs: InputConnector[]; outputs: OutputConnector[] };
  onChange: (node: NodeDefinition) => void;
}) {
  const idBase = useId();
  const [jsonPaths, setJsonPaths] = useState<ReadonlySet<string>>(new Set());
  const forms = useMemo(() => nodeForms(nodeType.config_schema, policySchema), [nodeType, policySchema]);
  const byField = configFieldsFor(forms, node.config);
  const configFields = byField ? fieldsFor(byField, node.config, 'config') : [forms.wholeConfig];
  const paths = [
    'id',
    ...shownPaths(configFields, byField ? node.config : node, jsonPaths),
    ...shownPaths(forms.policies, node, jsonPaths),
  ];
  const placed = placeFieldProblems(problems, paths);
  const context: FormContext = {
    idBase,
    jsonPaths,
    toggleJson: (path) => setJsonPaths((paths) => toggled(paths, path)),
    messages: placed.byPath,
    inputs: connectors?.inputs,
  };
  const nodeKeys = node as unknown as Record<string, unknown>;
  const setNodeKey = (key: string, value: unknown) =>
    onChange(withKey(nodeKeys, key, value) as unknown as NodeDefinition);
  const setConfig = (config: Record<string, unknown>) => {
    // Clearing a field of a node that had no config leaves it without one.
    if (node.config === undefined && Object.keys(config).length === 0) return;
    setNodeKey('config', config);
  };
  return (
    <section className="config-form" aria-label={`Node ${node.id}`}>
      {placed.general.length > 0 && (
        <div className="error" role="alert">
          <FieldErrorList errors={placed.general} label="Problems with this node" className="config-problems" />
        </div>
      )}
      <p className="hint">
        <strong>{nodeType.type}</strong> — {nodeType.description}
      </p>
      <TypedField
        id={`${idBase}-id`}
        label="id"
        type="str"
        typeName="string, required"
        value={node.id}
        onChange={(id) => onChange({ ...node, id })}
        help="Names the node in edges and in run results; its edges follow a new id."
        unsetChoice=""
        required
        error={placed.byPath.id?.join('; ')}
      />
      <fieldset className="config-section">
        <legend>Config</legend>
        {forms.configDescription && <p className="hint">{forms.configDescription}</p>}
        {byField ? (
          <ObjectFields fields={byField} base="config" value={node.config} onChange={setConfig} context={context} />
        ) : (
          <SchemaField
            field={forms.wholeConfig}
            value={node.config}
            onChange={(config) => setNodeKey('config', config)}
            context={context}
          />
        )}
      </fieldset>
      <fieldset className="config-section">
        <legend>Policies</legend>
        {forms.policies.map((field) => (
          <SchemaField
            key={field.path}
            field={field}
            value={nodeKeys[field.key]}
            onChange={(value) => setNodeKey(field.key, value)}
            context={context}
          />
        ))}
      </fieldset>
    </section>
  );
}

function toggled(paths: ReadonlySet<string>, path: string): ReadonlySet<string> {
  const next = new Set(paths);
  if (!next.delete(path)) next.add(path);
  return next;
}
