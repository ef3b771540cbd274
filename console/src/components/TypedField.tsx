import type { PayloadField } from '../payload-form';
import { isJsonType } from '../typed-text';

/**
 * One labelled input for a typed value (see typed-text.ts): the run form's inputs, a signal's
 * payload fields, a node's config fields.
 */
export function TypedField({
  id,
  label,
  type,
  typeName = type,
  value,
  onChange,
  help,
  unsetChoice,
  required,
  error,
  choices,
  multiline,
  min,
  max,
  placeholder,
}: {
  id: string;
  label: string;
  type: string;
  /** The type as the user wrote it, when not in the InputNode's names (a JSON Schema's `boolean`). */
  typeName?: string;
  value: string;
  onChange: (text: string) => void;
  help: string;
  /** The `bool` select's empty choice: what leaving the value out means. */
  unsetChoice: string;
  /** Marked for assistive technology only: the API, not the browser, says what is missing. */
  required?: boolean;
  error?: string;
  /** The values to pick from, instead of `bool`'s true and false (a JSON Schema's `enum`). */
  choices?: readonly string[];
  /** A `str` written in a text area (a prompt, code). */
  multiline?: boolean;
  min?: number;
  max?: number;
  /** What leaving the value out means (a default). */
  placeholder?: string;
}) {
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const common = {
    id,
    'aria-describedby': `${helpId}${error ? ` ${errorId}` : ''}`,
    'aria-invalid': error ? true : undefined,
    'aria-required': required,
  };
  return (
    <div className="field">
      <label htmlFor={id}>
        {label} <span className="type">{typeName}</span>
      </label>
      {type === 'bool' || choices ? (
        <select {...common} value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">{unsetChoice}</option>
          {(choices ?? ['true', 'false']).map((choice) => (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ))}
        </select>
      ) : isJsonType(type) || (multiline && type === 'str') ? (
        <textarea
          {...common}
          rows={3}
          placeholder={placeholder}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      ) : (
        <input
          {...common}
          type={type === 'int' || type === 'float' ? 'number' : 'text'}
          step={type === 'float' ? 'any' : undefined}
          min={min}
          max={max}
          placeholder={placeholder}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
      <span id={helpId} className="hint">
        {help}
        {isJsonType(type) ? ' JSON.' : ''}
      </span>
      {error && (
        <span id={errorId} className="error">
          {error}
        </span>
      )}
    </div>
  );
}

/** One TypedField per field of a payload form (see payload-form.ts): a signal's payload, a node's input connectors. */
export function PayloadFieldInputs({
  fields,
  idPrefix,
  texts,
  onChange,
  errors = {},
}: {
  fields: PayloadField[];
  idPrefix: string;
  texts: Record<string, string>;
  onChange: (name: string, text: string) => void;
  errors?: Record<string, string>;
}) {
  return fields.map((field) => (
    <TypedField
      key={field.name}
      id={`${idPrefix}-${field.name}`}
      label={field.name}
      type={field.type}
      typeName={field.typeName}
      value={texts[field.name] ?? ''}
      onChange={(text) => onChange(field.name, text)}
      help={`${field.description ?? ''}${field.required ? ' Required.' : ' Optional.'}`}
      unsetChoice="leave out"
      required={field.required}
      error={errors[field.name]}
    />
  ));
}
