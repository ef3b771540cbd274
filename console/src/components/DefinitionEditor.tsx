import { useState } from 'react';
import { ApiError, errorMessage, request, type FieldError } from '../api';
import type { Workflow } from '../types';

/**
 * The definition as editable JSON. Saving PATCHes it with If-Match (the revision it was read at);
 * the validator's 422 errors are listed by path and handed up, so the graph can place them on
 * their nodes.
 */
export function DefinitionEditor({
  workflow,
  onSaved,
  onProblems,
}: {
  workflow: Workflow;
  onSaved: (workflow: Workflow) => void;
  onProblems: (sent: unknown, errors: FieldError[]) => void;
}) {
  const [text, setText] = useState(() => JSON.stringify(workflow.definition, null, 2));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string }>();
  const [busy, setBusy] = useState(false);

  const save = async () => {
    setMessage(undefined);
    setErrors([]);
    let definition: unknown;
    try {
      definition = JSON.parse(text);
    } catch (failure) {
      setMessage({ kind: 'error', text: `Not valid JSON: ${errorMessage(failure)}` });
      return;
    }
    setBusy(true);
    try {
      const { body } = await request<Workflow>('PATCH', `/v1/workflows/${workflow.id}`, {
        body: { definition },
        headers: { 'If-Match': `"${workflow.revision}"` },
      });
      onProblems(definition, []);
      setMessage({ kind: 'ok', text: `Saved as revision ${body.revision}.` });
      onSaved(body);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 422) {
        setErrors(failure.fieldErrors);
        onProblems(definition, failure.fieldErrors);
        setMessage({ kind: 'error', text: `Not saved: ${failure.fieldErrors.length} problem(s).` });
      } else if (failure instanceof ApiError && failure.status === 412) {
        setMessage({ kind: 'error', text: 'Not saved: someone changed this workflow since you loaded it. Reload.' });
      } else {
        setMessage({ kind: 'error', text: errorMessage(failure) });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="definition-title">
      <h2 id="definition-title">Definition</h2>
      <label htmlFor="definition-json">Definition JSON (revision {workflow.revision})</label>
      <textarea
        id="definition-json"
        className="code"
        rows={18}
        spellCheck={false}
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <div className="toolbar">
        <button type="button" onClick={save} disabled={busy}>
          Save definition
        </button>
        <button type="button" onClick={() => setText(JSON.stringify(workflow.definition, null, 2))} disabled={busy}>
          Revert
        </button>
      </div>
      {message && (
        <p className={message.kind === 'error' ? 'error' : 'ok'} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {errors.length > 0 && (
        <ul className="problems" aria-label="Validation errors">
          {errors.map((error, index) => (
            <li key={index}>
              <code>{error.field}</code>: {error.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
