import { useState } from 'react';
import { ApiError, api, request } from '../api';
import { ColumnHeads, ProblemAlert } from '../components/common';
import { formatTime } from '../hooks';
import type { Workflow, WorkflowVersion } from '../types';

/**
 * The versions, newest first, each with its message and the key that made it; each can be
 * compared with the draft or restored into it. A restore is confirmed first, and sent with
 * If-Match: a draft saved by someone else meanwhile is not overwritten (412), and can be reloaded.
 */
export function VersionHistory({
  workflow,
  versions,
  total,
  onCompareWithDraft,
  onRestored,
}: {
  workflow: Workflow;
  versions: WorkflowVersion[];
  total: number;
  onCompareWithDraft: (version: WorkflowVersion) => void;
  onRestored: (workflow: Workflow) => void;
}) {
  const [confirming, setConfirming] = useState<WorkflowVersion>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const [stale, setStale] = useState(false);
  const [failure, setFailure] = useState<unknown>();

  const start = (run: () => Promise<string>) => async () => {
    setBusy(true);
    setDone(undefined);
    setStale(false);
    setFailure(undefined);
    try {
      setDone(await run());
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) setStale(true);
      else setFailure(error);
    } finally {
      setBusy(false);
      setConfirming(undefined);
    }
  };

  const restore = (version: WorkflowVersion) =>
    start(async () => {
      const { body } = await request<Workflow>('POST', `/v1/workflows/${workflow.id}/versions/${version.id}/restore`, {
        headers: { 'If-Match': `"${workflow.revision}"` },
      });
      onRestored(body);
      return `Restored version ${version.number} into the draft (now revision ${body.revision}).`;
    });

  const reload = start(async () => {
    const fresh = await api.get<Workflow>(`/v1/workflows/${workflow.id}`);
    onRestored(fresh);
    return `Reloaded the draft (revision ${fresh.revision}). Nothing was restored: restore again if you still want to.`;
  });

  if (versions.length === 0) return <p>No versions yet: snapshot the draft to start its history.</p>;
  return (
    <>
      <table className="version-history">
        <caption>
          {versions.length < total ? `Newest ${versions.length} of ${total} versions` : `${total} versions`}, newest
          first
        </caption>
        <ColumnHeads names={['Number', 'Name', 'Message', 'Author key', 'Created', 'Actions']} />
        <tbody>
          {versions.map((version) => (
            <tr key={version.id} data-testid={`version-${version.number}`}>
              <td>{version.number}</td>
              <td>{version.name}</td>
              <td className="version-message">{version.description ?? '—'}</td>
              <td>
                <div>{version.author_key_name ?? '—'}</div>
                {version.author_key_id && <div className="hint">id {version.author_key_id}</div>}
              </td>
              <td>{formatTime(version.created_at)}</td>
              <td>
                <div className="version-actions">
                  <button type="button" onClick={() => onCompareWithDraft(version)}>
                    Compare<span className="visually-hidden"> version {version.number}</span> with draft
                  </button>
                  <button type="button" onClick={() => setConfirming(version)} disabled={busy}>
                    Restore<span className="visually-hidden"> version {version.number}</span> into draft…
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {confirming && (
        <div className="confirm" role="group" aria-label={`Confirm restoring version ${confirming.number}`}>
          <p>
            Replace the draft (revision {workflow.revision}) with version {confirming.number}’s definition? What the
            draft has now is lost unless it was snapshotted.
          </p>
          <div className="toolbar">
            <button type="button" className="danger" onClick={restore(confirming)} disabled={busy}>
              {busy ? 'Restoring…' : `Restore version ${confirming.number}`}
            </button>
            <button type="button" onClick={() => setConfirming(undefined)} disabled={busy}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {done && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
      {stale && (
        <div className="error" role="alert">
          Not restored: the draft changed since this page loaded it (it is no longer revision {workflow.revision}).{' '}
          <button type="button" onClick={reload} disabled={busy}>
            Reload the draft
          </button>
        </div>
      )}
      <ProblemAlert failure={failure} listLabel="Restore problems" />
    </>
  );
}
