import { useState } from 'react';
import { errorMessage } from '../api';

/** A button that does one request; disabled while it runs, with what went wrong beside it. */
export function ActionButton({
  label,
  act,
  className,
}: {
  label: string;
  act: () => Promise<void>;
  className?: string;
}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const run = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      await act();
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className={className} onClick={run} disabled={busy}>
        {label}
      </button>
      {failure && (
        <span className="error" role="alert">
          {' '}
          {failure}
        </span>
      )}
    </>
  );
}

/** A destructive action behind a confirmation: "Delete" asks, "Delete <what>" does it. */
export function ConfirmButton({
  label,
  confirmLabel,
  question,
  onConfirm,
}: {
  label: string;
  confirmLabel: string;
  question: string;
  onConfirm: () => Promise<void>;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="danger" onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm inline-confirm" role="group" aria-label={question}>
      {question} <ActionButton className="danger" label={confirmLabel} act={onConfirm} />{' '}
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
