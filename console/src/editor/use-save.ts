import { useState } from 'react';
import { api, ApiError, errorMessage, request, type FieldError } from '../api';
import type { Definition, Workflow } from '../types';
import type { ConflictChoice } from './ConflictDialog';
import type { Draft } from './use-draft';

export interface SaveProblems {
  sent: Definition;
  errors: FieldError[];
}

export interface Saving {
  save: (definition: Definition) => Promise<void>;
  busy: boolean;
  message?: { kind: 'ok' | 'error'; text: string };
  /** The 422 errors of the last refused save, with the definition they index into. */
  problems?: SaveProblems;
  /** A save refused as stale (412): the workflow as it now is, and the definition that was refused. */
  conflict?: { theirs: Workflow; mine: Definition };
  resolve: (choice: ConflictChoice) => Promise<void>;
}

/** Saves the draft with If-Match on the revision it was read at; 422s and 412s are kept for the page. */
export function useSave(draft: Draft): Saving {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Saving['message']>();
  const [problems, setProblems] = useState<SaveProblems>();
  const [conflict, setConflict] = useState<Saving['conflict']>();
  const workflowId = draft.stored.id;

  const saveOver = async (definition: Definition, revision: number) => {
    setBusy(true);
    setMessage(undefined);
    try {
      const { body } = await request<Workflow>('PATCH', `/v1/workflows/${workflowId}`, {
        body: { definition },
        headers: { 'If-Match': `"${revision}"` },
      });
      draft.markSaved(body, definition);
      setProblems(undefined);
      setMessage({ kind: 'ok', text: `Saved as revision ${body.revision}.` });
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 422) {
        setProblems({ sent: definition, errors: failure.fieldErrors });
        const count = failure.fieldErrors.length;
        setMessage({
          kind: 'error',
          text: `Not saved: ${count} problem${count === 1 ? '' : 's'}, shown on the nodes.`,
        });
      } else if (failure instanceof ApiError && failure.status === 412) {
        await api.get<Workflow>(`/v1/workflows/${workflowId}`).then(
          (theirs) => setConflict({ theirs, mine: definition }),
          (reading: unknown) =>
            setMessage({
              kind: 'error',
              text: `Not saved: changed elsewhere, and not readable: ${errorMessage(reading)}`,
            }),
        );
      } else {
        setMessage({ kind: 'error', text: `Not saved: ${errorMessage(failure)}` });
      }
    } finally {
      setBusy(false);
    }
  };

  return {
    save: (definition) => saveOver(definition, draft.stored.revision),
    busy,
    message,
    problems,
    conflict,
    resolve: async (choice) => {
      if (!conflict) return;
      setConflict(undefined);
      if (choice === 'keep-mine') {
        await saveOver(conflict.mine, conflict.theirs.revision);
      } else if (choice === 'take-theirs') {
        draft.adopt(conflict.theirs);
        setProblems(undefined);
        setMessage({ kind: 'ok', text: `Took revision ${conflict.theirs.revision}; your edits are one undo away.` });
      }
    },
  };
}
