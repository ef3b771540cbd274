import { useEffect, useRef, useState } from 'react';
import { api, request } from '../api';
import { applyEvent, EMPTY_RUN_STATE, isFinalEvent, withNodeRuns, withWaitDetails, type RunState } from '../run-state';
import { openEventStream, type StreamState } from '../sse';
import { isFinished, type NodeRun, type Run } from '../types';
import { newSessionName, testRunBody, type RunTarget } from './run-target';

export interface FollowedRun {
  session: string;
  target: RunTarget;
  /** The version run, if not the draft. */
  versionId?: string;
  /** Known once the API answered (an async run at once, a sync run when it has finished). */
  run?: Run;
  runId?: string;
  state: RunState;
  stream: StreamState;
  /** Why the API refused to start the run, or the record could not be read. */
  failure?: unknown;
}

export interface TestRunStart {
  target: RunTarget;
  input: Record<string, unknown>;
  mode: 'sync' | 'async';
  versionId?: string;
}

/**
 * Starts test runs of a workflow, each in a fresh debugger session whose stream is opened first
 * (replaying from its start, so no event is missed however fast the run is), and follows the run
 * live; after its final event the stored record (full inputs, outputs, attempts) completes it.
 */
export function useRunFollower(workflowId: string) {
  const [followed, setFollowed] = useState<FollowedRun>();
  const closeStream = useRef<() => void>(undefined);
  useEffect(() => () => closeStream.current?.(), []);

  const start = async ({ target, input, mode, versionId }: TestRunStart): Promise<void> => {
    closeStream.current?.();
    const session = newSessionName();
    const update = (change: (current: FollowedRun) => Partial<FollowedRun>) =>
      setFollowed((current) => (current?.session === session ? { ...current, ...change(current) } : current));
    setFollowed({ session, target, versionId, state: EMPTY_RUN_STATE, stream: 'connecting' });

    const readNodeRuns = async (runId: string, merge: (state: RunState, nodeRuns: NodeRun[]) => RunState) => {
      const nodes = await api.get<{ items: NodeRun[] }>(`/v1/runs/${runId}/nodes`);
      update((current) => ({ state: merge(current.state, nodes.items) }));
    };
    const readRecord = async (runId: string) => {
      const [run] = await Promise.all([api.get<Run>(`/v1/runs/${runId}`), readNodeRuns(runId, withNodeRuns)]);
      update(() => ({ run }));
      close();
    };
    let finished = false;
    const close = openEventStream(`/v1/debugger/${encodeURIComponent(session)}/events`, {
      lastEventId: '0',
      reconnectOnEnd: () => !finished,
      onEvent: (event) => {
        const runId = event.data.run_id as string;
        update((current) => ({ runId, state: applyEvent(current.state, event) }));
        const fail = (failure: unknown) => update(() => ({ failure }));
        if (isFinalEvent(event)) {
          finished = true;
          readRecord(runId).catch(fail);
        } else if (event.event === 'run.waiting') {
          readNodeRuns(runId, withWaitDetails).catch(fail);
        }
      },
      onState: (stream) => update(() => ({ stream: finished ? 'ended' : stream })),
    });
    closeStream.current = close;

    try {
      const path = `/v1/workflows/${workflowId}/runs${mode === 'sync' ? '/sync' : ''}`;
      const { body: run } = await request<Run>('POST', path, { body: testRunBody(target, input, session, versionId) });
      // A fast run's stored record may have arrived first; the answer of an async start is older.
      update((current) => ({ run: isFinished(current.run?.status) ? current.run : run, runId: run.id }));
    } catch (failure) {
      close();
      update(() => ({ failure, stream: 'ended' }));
    }
  };

  return { followed, start };
}
