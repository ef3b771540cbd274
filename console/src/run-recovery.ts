import type { RunStatus } from './types';

/** Retry: a new run reusing what succeeded in a failed or stopped one. Replay: the same input again as new work. */
export type RecoveryKind = 'retry' | 'replay';

/** The definition choice that runs the workflow's current draft. */
export const CURRENT_DRAFT = 'current_draft';

export interface RecoveryChoices {
  /** '' for the definition the run ran, CURRENT_DRAFT, or a version's id. */
  definition: string;
  /** Retry only: run these nodes and everything downstream again. */
  fromNodeIds: string[];
  /** A JSON object merged over the run's input; '' for none. */
  inputText: string;
  metadata: Record<string, string>;
}

export function canRetry(status: RunStatus): boolean {
  return status === 'failed' || status === 'stopped';
}

/** POST /v1/runs/{id}/retry|replay (async: answers with the queued run). */
export function recoveryPath(kind: RecoveryKind, runId: string): string {
  return `/v1/runs/${runId}/${kind}`;
}

/** The request body: only what was chosen, so everything else comes from the source run. */
export function recoveryBody(kind: RecoveryKind, choices: RecoveryChoices): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (choices.definition === CURRENT_DRAFT) body.definition = CURRENT_DRAFT;
  else if (choices.definition) body.workflow_version_id = choices.definition;
  if (kind === 'retry' && choices.fromNodeIds.length) body.from_node_ids = choices.fromNodeIds;
  const input = parseInputOverrides(choices.inputText);
  if (input) body.input = input;
  if (Object.keys(choices.metadata).length) body.metadata = choices.metadata;
  return body;
}

function parseInputOverrides(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('Input overrides: not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('Input overrides: must be a JSON object (values by InputNode label)');
  }
  return value as Record<string, unknown>;
}
