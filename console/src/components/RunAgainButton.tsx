import { useState } from 'react';
import { api, errorMessage } from '../api';
import { recoveryPath } from '../run-recovery';
import { navigate } from '../router';
import type { Run } from '../types';

/** One click: a replay of the run as it was (same input, same definition, async), then its page. */
export function RunAgainButton({ runId }: { runId: string }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const runAgain = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const started = await api.post<Run>(recoveryPath('replay', runId));
      navigate(`/runs/${started.id}`);
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" onClick={runAgain} disabled={busy}>
        {busy ? 'Starting…' : 'Run again'}
      </button>
      {failure && (
        <span className="error" role="alert">
          {failure}
        </span>
      )}
    </>
  );
}
