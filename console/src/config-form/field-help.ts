/** What a field says about itself: its help text, its type tag, and what leaving it empty means. */
import type { InputConnector } from '../../../src/execution/node-catalog';
import type { FieldMode } from './field-values';
import type { FormField } from './schema-fields';

/**
 * The field's description, its range, and the input ports it creates (`created`, undefined while
 * the server has not said which inputs the node has).
 */
export function helpOf(field: FormField, created: InputConnector[] | undefined): string {
  const parts = [field.description ?? (field.unknown ? 'Not described by this node type; kept as it is.' : '')];
  const range = rangeOf(field);
  if (range) parts.push(range);
  if (field.createsInputs && created) {
    parts.push(
      created.length === 0
        ? 'Creates no inputs.'
        : `Creates inputs: ${created.map((input) => input.name + (input.required ? '' : ' (optional)')).join(', ')}.`,
    );
  }
  return parts.filter(Boolean).join(' ');
}

function rangeOf(field: FormField): string | undefined {
  const { minimum, maximum } = field;
  if (minimum !== undefined && maximum !== undefined) return `From ${minimum} to ${maximum}.`;
  if (minimum !== undefined) return `At least ${minimum}.`;
  if (maximum !== undefined) return `At most ${maximum}.`;
  return undefined;
}

export function typeTagOf(field: FormField): string {
  return field.required ? `${field.typeName}, required` : field.typeName;
}

/** The default, as the field's control would show it; empty when there is none. */
export function placeholderOf(field: FormField, mode: FieldMode): string | undefined {
  if (field.defaultValue === undefined) return undefined;
  return mode === 'json' || typeof field.defaultValue !== 'string'
    ? JSON.stringify(field.defaultValue)
    : field.defaultValue;
}

/** A select's empty choice: the default it leaves in place, or that nothing is set. */
export function unsetChoiceOf(field: FormField): string {
  return field.defaultValue === undefined ? '(not set)' : `(default: ${String(field.defaultValue)})`;
}
