import { useEffect, useRef } from 'react';
import type { Definition, Workflow } from '../types';
import { JsonDiff } from '../versions/JsonDiff';
import { definitionText } from './JsonTab';

export type ConflictChoice = 'keep-mine' | 'take-theirs' | 'cancel';

/**
 * A save refused because someone saved first (412): their definition and this one, and the choice
 * of keeping this one (saved over their revision), taking theirs (dropping these edits), or
 * neither for now: what differs as a diff, and each whole definition folded beside it.
 */
export function ConflictDialog({
  theirs,
  mine,
  onChoose,
}: {
  theirs: Workflow;
  mine: Definition;
  onChoose: (choice: ConflictChoice) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="conflict-dialog"
      aria-labelledby="conflict-title"
      onCancel={(event) => {
        event.preventDefault();
        onChoose('cancel');
      }}
    >
      <h2 id="conflict-title">Someone saved this workflow first</h2>
      <p>
        Revision {theirs.revision} was saved on {new Date(theirs.updated_at).toLocaleString()} while you were editing.
        Choose which definition to keep.
      </p>
      <JsonDiff
        before={theirs.definition}
        after={mine}
        beforeLabel={`theirs (revision ${theirs.revision})`}
        afterLabel="yours (unsaved)"
      />
      <details>
        <summary>Both definitions in full</summary>
        <div className="conflict-sides">
          <Side title={`Theirs (revision ${theirs.revision})`} definition={theirs.definition} />
          <Side title="Yours (unsaved)" definition={mine} />
        </div>
      </details>
      <div className="toolbar">
        <button type="button" onClick={() => onChoose('keep-mine')}>
          Keep mine (save over theirs)
        </button>
        <button type="button" onClick={() => onChoose('take-theirs')}>
          Take theirs (discard mine)
        </button>
        <button type="button" onClick={() => onChoose('cancel')}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

function Side({ title, definition }: { title: string; definition: Definition }) {
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      <pre className="code" tabIndex={0}>
        {definitionText(definition)}
      </pre>
    </section>
  );
}
