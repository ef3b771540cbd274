/** Names for the generated schemas the hand-written layer hands out. */
import type { components, operations } from './generated/openapi.js';

type Schemas = components['schemas'];

export type Run = Schemas['RunResponse'];
export type RunStatus = Run['status'];
export type CreateRunBody = Schemas['CreateRunBody'];
export type RunSearchPage = Schemas['RunSearchResponse'];
export type Workflow = Schemas['WorkflowResponse'];
export type WorkflowPage = Schemas['WorkflowPage'];
export type CreateWorkflowBody = Schemas['CreateWorkflowBody'];
export type UpdateWorkflowBody = Schemas['UpdateWorkflowBody'];
export type SignalAccepted = Schemas['SignalAcceptedResponse'];
/** The body of a signed callback (`run.completed`, `run.failed`, `run.stopped`). */
export type CallbackPayload = Schemas['RunCallbackBody'];

export type RunFilters = NonNullable<operations['listRuns']['parameters']['query']>;

/** The statuses after which a run never changes. */
export const FINAL_STATUSES: ReadonlySet<RunStatus> = new Set(['completed', 'failed', 'stopped']);

/** One event of a run's stream (`node.started`, `node.completed`, …, `run.completed`). */
export interface RunEvent {
  /** The event's id, increasing; a stream resumes after it. */
  id: string;
  type: string;
  data: { run_id: string; timestamp: string; [field: string]: unknown };
}
