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
  /** The new run's metadata; the form starts from the source run's, which the API keeps unless given. */
  metadata: Record<string, string>;
}

export function canRetry(status: RunStatus): boolean {
  return status === 'failed' || status === 'stopped';
}

/** POST /v1/runs/{id}/retry|replay (async: answers with the queued run). */
export function recoveryPath(kind: RecoveryKind, runId: string): string {
  return `/v1/runs/${runId}/${kind}`;
}

/**
 * The request body: only what differs from the source run, whose definition, input and settings
 * the API takes for everything left out (so metadata emptied in the form is sent as `{}`).
 */
export function recoveryBody(
  kind: RecoveryKind,
  choices: RecoveryChoices,
  sourceMetadata: Record<string, string>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (choices.definition === CURRENT_DRAFT) body.definition = CURRENT_DRAFT;
  else if (choices.definition) body.workflow_version_id = choices.definition;
  if (kind === 'retry' && choices.fromNodeIds.length) body.from_node_ids = choices.fromNodeIds;
  const input = parseInputOverrides(choices.inputText);
  if (input) body.input = input;
  if (!sameMetadata(choices.metadata, sourceMetadata)) body.metadata = choices.metadata;
  return body;
}

function sameMetadata(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
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
