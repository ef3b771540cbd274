import { useState } from 'react';
import type { InputConnector } from '../../../src/execution/node-catalog';
import { TypedField } from '../components/TypedField';
import { inputsCreatedBy } from './field-problems';
import { helpOf, placeholderOf, typeTagOf, unsetChoiceOf } from './field-help';
import { fieldsFor, fits, modeOf, parseFieldText, sameJson, textOf, withKey, type FieldMode } from './field-values';
import type { FormField } from './schema-fields';

/** What every field of one node's form shares. */
export interface FormContext {
  idBase: string;
  /** Fields the person switched to JSON. */
  jsonPaths: ReadonlySet<string>;
  toggleJson: (path: string) => void;
  /** Problem messages per field path. */
  messages: Record<string, string[]>;
  /** The node's inputs as the server computed them from its config; undefined while unknown. */
  inputs?: InputConnector[];
}

interface FieldProps {
  field: FormField;
  value: unknown;
  onChange: (value: unknown) => void;
  context: FormContext;
}

/** One field of the form: its own control (a fieldset for an object), or its value as JSON. */
export function SchemaField(props: FieldProps) {
  const mode = modeOf(props.field, props.value, props.context.jsonPaths);
  if (props.field.kind === 'object' && mode === 'form') return <ObjectField {...props} />;
  return <ValueField {...props} mode={mode} />;
}

/** The fields of an object value (`config`, a nested object), its unknown keys included. */
export function ObjectFields({
  fields,
  base,
  value,
  onChange,
  context,
}: {
  fields: FormField[];
  base: string;
  value: Record<string, unknown> | undefined;
  onChange: (value: Record<string, unknown>) => void;
  context: FormContext;
}) {
  return fieldsFor(fields, value, base).map((field) => (
    <SchemaField
      key={field.path}
      field={field}
      value={value?.[field.key]}
      onChange={(own) => onChange(withKey(value, field.key, own))}
      context={context}
    />
  ));
}

function ValueField({ field, value, onChange, context, mode }: FieldProps & { mode: FieldMode }) {
  // The text being typed, and the value it last stood for: text that does not parse yet stays on
  // screen; a value changed elsewhere (undo, the JSON view) replaces it.
  const [draft, setDraft] = useState(() => ({ text: textOf(field, mode, value), value, mode, error: '' }));
  let current = draft;
  if (draft.mode !== mode || !sameJson(draft.value, value)) {
    current = { text: textOf(field, mode, value), value, mode, error: '' };
    setDraft(current);
  }
  const edit = (text: string) => {
    const parsed = parseFieldText(field, mode, text);
    if ('error' in parsed) return setDraft({ ...current, text, error: parsed.error });
    setDraft({ text, value: parsed.value, mode, error: '' });
    if (!sameJson(parsed.value, value)) onChange(parsed.value);
  };
  const id = fieldId(context.idBase, field.path);
  // Said only of a value: "creates no inputs" under an empty field would be noise.
  const created = context.inputs && value !== undefined ? inputsCreatedBy(field, value, context.inputs) : undefined;
  const errors = [current.error, ...(context.messages[field.path] ?? [])].filter(Boolean);
  return (
    <div className="config-field">
      <TypedField
        id={id}
        label={field.key}
        type={mode === 'json' ? 'any' : field.kind}
        typeName={typeTagOf(field)}
        value={current.text}
        onChange={edit}
        help={helpOf(field, created)}
        unsetChoice={unsetChoiceOf(field)}
        required={field.required}
        error={errors.join('; ') || undefined}
        choices={mode === 'form' ? field.choices : undefined}
        multiline={field.multiline}
        min={field.minimum}
        max={field.maximum}
        placeholder={placeholderOf(field, mode)}
      />
      <JsonToggle field={field} value={value} mode={mode} context={context} />
    </div>
  );
}

function ObjectField({ field, value, onChange, context }: FieldProps) {
  const id = fieldId(context.idBase, field.path);
  const object = value as Record<string, unknown> | undefined;
  const errors = context.messages[field.path] ?? [];
  return (
    <fieldset className="config-object" aria-describedby={`${id}-help${errors.length ? ` ${id}-error` : ''}`}>
      <legend>
        {field.key} <span className="type">{typeTagOf(field)}</span>
      </legend>
      <label>
        <input
          type="checkbox"
          checked={object !== undefined}
          aria-invalid={errors.length ? true : undefined}
          onChange={(event) => onChange(event.target.checked ? {} : undefined)}
        />{' '}
        Set {field.key}
      </label>
      <span id={`${id}-help`} className="hint">
        {helpOf(field, undefined)}
      </span>
      {errors.length > 0 && (
        <span id={`${id}-error`} className="error">
          {errors.join('; ')}
        </span>
      )}
      {object !== undefined && (
        <ObjectFields fields={field.fields!} base={field.path} value={object} onChange={onChange} context={context} />
      )}
      <JsonToggle field={field} value={value} mode="form" context={context} />
    </fieldset>
  );
}

/** Switches a field between its own control and its raw JSON; a value the control cannot show stays JSON. */
function JsonToggle({ field, value, mode, context }: Omit<FieldProps, 'onChange'> & { mode: FieldMode }) {
  if (field.kind === 'any') return null;
  const stuck = !fits(field, value);
  return (
    <button
      type="button"
      className="link json-toggle"
      aria-pressed={mode === 'json'}
      disabled={stuck}
      title={stuck ? 'This value can only be edited as JSON' : undefined}
      onClick={() => context.toggleJson(field.path)}
    >
      Edit {field.key} as JSON
    </button>
  );
}

/** A DOM id for the field at `path`: paths may hold quotes, brackets and spaces, ids (in aria lists) may not hold spaces. */
function fieldId(base: string, path: string): string {
  return `${base}-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
