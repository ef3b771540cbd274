import { useState } from 'react';
import { api, errorMessage } from '../api';
import { formatTime, useLoad } from '../hooks';
import { isFinished, type CallbackAttempt, type Run } from '../types';
import { ColumnHeads } from './common';

/** Every delivery attempt of the run's callback, with a button to send it again. */
export function CallbacksLog({ run }: { run: Run }) {
  const attempts = useLoad(
    (signal) => api.get<{ items: CallbackAttempt[] }>(`/v1/runs/${run.id}/callbacks`, signal),
    [run.id, run.status],
  );
  const [message, setMessage] = useState<string>();
  const redeliver = async () => {
    try {
      const answer = await api.post<{ chain: number }>(`/v1/runs/${run.id}/callbacks/redeliver`);
      setMessage(`Redelivery queued (chain ${answer.chain}).`);
      setTimeout(attempts.reload, 500);
    } catch (failure) {
      setMessage(errorMessage(failure));
    }
  };
  return (
    <section aria-labelledby="callbacks-title">
      <h2 id="callbacks-title">Callbacks</h2>
      <p>
        To <code>{run.callback_url}</code>{' '}
        <button type="button" onClick={redeliver} disabled={!isFinished(run.status)}>
          Redeliver
        </button>{' '}
        <button type="button" onClick={attempts.reload}>
          Refresh
        </button>
      </p>
      {message && <p role="status">{message}</p>}
      {attempts.error && <p className="error">{attempts.error}</p>}
      {attempts.data && attempts.data.items.length === 0 && <p>No attempt yet.</p>}
      {attempts.data && attempts.data.items.length > 0 && (
        <table>
          <ColumnHeads names={['Chain', 'Attempt', 'At', 'Outcome', 'Duration', 'Next attempt']} />
          <tbody>
            {attempts.data.items.map((attempt) => (
              <tr key={attempt.id}>
                <td>{attempt.chain}</td>
                <td>{attempt.attempt}</td>
                <td>{formatTime(attempt.attempted_at)}</td>
                <td>
                  {attempt.delivered_at
                    ? `delivered (${attempt.status_code})`
                    : `${attempt.error_class ?? 'failed'}${attempt.status_code ? ` ${attempt.status_code}` : ''}: ${attempt.error ?? ''}`}
                </td>
                <td>{attempt.duration_ms != null ? `${attempt.duration_ms} ms` : '—'}</td>
                <td>{formatTime(attempt.next_attempt_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
