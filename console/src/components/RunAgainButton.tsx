import { api } from '../api';
import { recoveryPath } from '../run-recovery';
import { navigate } from '../router';
import type { Run } from '../types';
import { ActionButton } from './ActionButton';

/** One click: a replay of the run as it was (same input, same definition, async), then its page. */
export function RunAgainButton({ runId }: { runId: string }) {
  return (
    <ActionButton
      label="Run again"
      act={async () => {
        const started = await api.post<Run>(recoveryPath('replay', runId));
        navigate(`/runs/${started.id}`);
      }}
    />
  );
}
