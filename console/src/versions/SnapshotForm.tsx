import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { ProblemAlert } from '../components/common';
import type { WorkflowVersion } from '../types';

/** Saves the draft as a new numbered version, with an optional name (the API's default is `v<number>`) and message. */
export function SnapshotForm({ workflowId, onSnapshot }: { workflowId: string; onSnapshot: () => void }) {
  const [name, setName] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string>();
  const [failure, setFailure] = useState<unknown>();

  const snapshot = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(undefined);
    setFailure(undefined);
    try {
      const version = await api.post<WorkflowVersion>(`/v1/workflows/${workflowId}/versions`, {
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(message.trim() ? { description: message.trim() } : {}),
      });
      setSaved(`Saved the draft as version ${version.number} (${version.name}).`);
      setName('');
      setMessage('');
      onSnapshot();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="snapshot-form" onSubmit={snapshot} aria-labelledby="snapshot-title">
      <h2 id="snapshot-title">Snapshot the draft</h2>
      <label htmlFor="snapshot-name">Name (optional; v&lt;number&gt; when left empty)</label>
      <input id="snapshot-name" value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
      <label htmlFor="snapshot-message">Message (what changed and why)</label>
      <textarea
        id="snapshot-message"
        rows={2}
        value={message}
        maxLength={2000}
        onChange={(event) => setMessage(event.target.value)}
      />
      <div className="toolbar">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save as a new version'}
        </button>
        {saved && (
          <span role="status" className="ok">
            {saved}
          </span>
        )}
      </div>
      <ProblemAlert failure={failure} listLabel="Snapshot problems" />
    </form>
  );
}
