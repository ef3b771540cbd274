import { useState } from 'react';
import { formatTime } from '../hooks';
import type { NodeState } from '../run-state';

/** Rows of a node's details list while it waits: the signal awaited and when the wait ends. */
export function WaitRows({ node }: { node: NodeState | undefined }) {
  return (
    <>
      {node?.signal && (
        <>
          <dt>Awaits signal</dt>
          <dd data-testid="awaited-signal">{node.signal.name}</dd>
        </>
      )}
      <dt>{node?.signal ? 'Times out' : 'Waiting until'}</dt>
      <dd>{node?.waitingUntil ? formatTime(node.waitingUntil) : 'never'}</dd>
    </>
  );
}

/** A waiting SignalNode's single-use link, to send to the person (or system) that answers it. */
export function ResumeLink({ url }: { url: string }) {
  const absolute = new URL(url, window.location.origin).href;
  const [copied, setCopied] = useState<string>();
  const copy = () =>
    // No clipboard outside a secure context: the link stays there to select.
    Promise.resolve()
      .then(() => navigator.clipboard.writeText(absolute))
      .then(
        () => setCopied('Copied.'),
        () => setCopied('Copying was refused: select the link and copy it.'),
      );
  return (
    <p className="resume-link">
      Resume link (single use, no API key needed; opening it shows a form):{' '}
      <a href={absolute} target="_blank" rel="noreferrer" data-testid="resume-url">
        {absolute}
      </a>{' '}
      <button type="button" onClick={copy}>
        Copy link
      </button>{' '}
      {copied && <span role="status">{copied}</span>}
    </p>
  );
}
