import { useState, type FormEvent, type ReactNode } from 'react';
import { FormProblem } from './FormField';

export interface FormAction {
  submit: (event: FormEvent) => Promise<void>;
  /** What the API (or the console, see localProblem) refused; the fields show their part. */
  failure: unknown;
  busy: boolean;
  /** What the last successful submit says it did. */
  done?: string;
}

/** A form's submit: `act` sends it and says what it did (if it has more to say than the page shows), or throws what was refused. */
export function useFormAction(act: () => Promise<string | undefined>): FormAction {
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(undefined);
    setDone(undefined);
    setBusy(true);
    try {
      setDone(await act());
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  return { submit, failure, busy, done };
}

/**
 * A form of the admin pages: its title, its fields (`children`), the submit button with what the
 * last submit did, and what the API refused that no field shows (`fields`: those that do).
 */
export function AdminForm({
  id,
  title,
  submitLabel,
  action,
  fields,
  children,
}: {
  id: string;
  title: string;
  submitLabel: string;
  action: FormAction;
  fields: string[];
  children: ReactNode;
}) {
  return (
    <form id={id} className="admin-form" onSubmit={action.submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
      <div className="toolbar">
        <button type="submit" disabled={action.busy}>
          {submitLabel}
        </button>
        {action.done && (
          <span role="status" className="ok">
            {action.done}
          </span>
        )}
      </div>
      <FormProblem failure={action.failure} fields={fields} />
    </form>
  );
}
