/** The form of a node of one type: its config's fields and the policy fields every node has. */
import type { JsonSchema } from '../types';
import { fieldsOf, hasProperties, isPlainObject, type FormField } from './schema-fields';

export interface NodeForms {
  /** One field per config property; undefined when the schema names none (the config is then edited as JSON). */
  config?: FormField[];
  /** The whole config as one field, for a schema without properties. */
  wholeConfig: FormField;
  /** What the schema says of the config as a whole (e.g. "Exactly one of duration_ms and until."). */
  configDescription?: string;
  /** `retry`, `timeout_ms`, `on_error`, `default_outputs`: keys of the node itself, next to `config`. */
  policies: FormField[];
}

export function nodeForms(configSchema: JsonSchema, policySchema: JsonSchema): NodeForms {
  return {
    config: hasProperties(configSchema) ? fieldsOf(configSchema, 'config') : undefined,
    wholeConfig: fieldsOf({ properties: { config: configSchema } }, '')[0],
    configDescription: typeof configSchema.description === 'string' ? configSchema.description : undefined,
    policies: fieldsOf(policySchema, ''),
  };
}

/**
 * The config's fields when it is edited field by field; undefined when it is edited as one JSON
 * value: its schema names no properties, or it is no object (the JSON view allows anything).
 */
export function configFieldsFor(forms: NodeForms, config: unknown): FormField[] | undefined {
  return config === undefined || isPlainObject(config) ? forms.config : undefined;
}
