import type { ReactNode } from 'react';
import { ApiError, errorMessage } from '../api';

/** Whether a 422 error's path is `field` or inside it (`input.x`, `limits.max_schedules`). */
function concerns(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
}

function messagesFor(failure: unknown, field: string): string[] {
  if (!(failure instanceof ApiError)) return [];
  return failure.fieldErrors
    .filter((error) => concerns(error.field, field))
    .map((error) => (error.field === field ? error.message : `${error.field}: ${error.message}`));
}

/**
 * A labelled control with its help and, when the API refused the form, what it said about this
 * field, beside it. `control` gets the ids to describe itself with.
 */
export function FormField({
  id,
  label,
  field,
  failure,
  help,
  control,
}: {
  id: string;
  label: string;
  /** The field's name in the API's 422 `errors`. */
  field: string;
  failure: unknown;
  help?: ReactNode;
  control: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}) {
  const messages = messagesFor(failure, field);
  const describedBy = [help ? `${id}-help` : '', messages.length ? `${id}-problem` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {control({ id, 'aria-describedby': describedBy || undefined, 'aria-invalid': messages.length > 0 || undefined })}
      {help && (
        <span id={`${id}-help`} className="hint">
          {help}
        </span>
      )}
      <FieldMessage id={`${id}-problem`} failure={failure} field={field} />
    </div>
  );
}

/** What the API said about `field`, for a group of controls (a fieldset) that FormField does not fit. */
export function FieldMessage({ id, failure, field }: { id?: string; failure: unknown; field: string }) {
  const messages = messagesFor(failure, field);
  if (messages.length === 0) return null;
  return (
    <span id={id} className="error field-problem">
      {messages.join('; ')}
    </span>
  );
}

/**
 * Why the API refused a form, in an alert: its detail, and the field errors no field of the form
 * shows (`fields`: the fields that show their own).
 */
export function FormProblem({ failure, fields }: { failure: unknown; fields: string[] }) {
  if (failure === undefined) return null;
  const others =
    failure instanceof ApiError
      ? failure.fieldErrors.filter((error) => !fields.some((field) => concerns(error.field, field)))
      : [];
  return (
    <div className="error" role="alert">
      {failure instanceof ApiError ? failure.message : errorMessage(failure)}
      {others.length > 0 && (
        <ul>
          {others.map((error, index) => (
            <li key={index}>
              <code>{error.field}</code>: {error.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A mistake the console sees before sending (JSON that does not parse), shown as the API would show it. */
export function localProblem(field: string, message: string): ApiError {
  return new ApiError({ status: 422, detail: 'Please correct the form.', errors: [{ field, message }] });
}
