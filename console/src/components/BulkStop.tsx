import { useState } from 'react';
import { api } from '../api';
import { hasFilter, stopBody, type RunFilters } from '../run-filters';
import { ProblemAlert } from './common';

/**
 * Stops every live run (queued, running, waiting) the applied filters match, and their child runs,
 * after a confirmation. Without a filter it would stop the whole group, so it is disabled.
 */
export function BulkStop({ filters, onStopped }: { filters: RunFilters; onStopped: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const filtered = hasFilter(filters);

  const stop = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const { stopped } = await api.post<{ stopped: number }>('/v1/runs/stop', stopBody(filters));
      setResult(`Stopped ${stopped} run${stopped === 1 ? '' : 's'}.`);
      onStopped();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <div className="bulk-stop">
      <div className="toolbar">
        <button
          type="button"
          className="danger"
          disabled={!filtered || confirming}
          aria-describedby="bulk-stop-help"
          onClick={() => {
            setResult(undefined);
            setConfirming(true);
          }}
        >
          Stop matching runs…
        </button>
        <span id="bulk-stop-help" className="hint">
          {filtered ? 'Stops the live runs these filters match.' : 'Search with a filter first.'}
        </span>
        {result && <span role="status">{result}</span>}
      </div>
      {confirming && (
        <div className="confirm" role="group" aria-label="Confirm stopping">
          <p>
            Stop every queued, running or waiting run that matches these filters, with the child runs they started? This
            cannot be undone.
          </p>
          <div className="toolbar">
            <button type="button" className="danger" onClick={stop} disabled={busy}>
              {busy ? 'Stopping…' : 'Stop them'}
            </button>
            <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <ProblemAlert failure={failure} listLabel="Stop problems" />
    </div>
  );
}
