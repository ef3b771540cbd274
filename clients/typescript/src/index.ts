export { Runloom, type RunloomOptions, type RunOptions } from './client.js';
export { RunHandle, type EventsOptions, type WaitOptions } from './run-handle.js';
export { Workflows, type WorkflowListQuery } from './workflows.js';
export { verifyCallback, type CallbackHeaders, type VerifyCallbackOptions } from './callbacks.js';
export {
  CallbackVerificationError,
  RunloomError,
  RunloomNetworkError,
  RunloomTimeoutError,
  type FieldProblem,
  type Problem,
} from './errors.js';
export type { HttpMethod, Operation, PathsWith, RequestOptions, ResponseBody } from './operations.js';
export type {
  CallbackPayload,
  CreateRunBody,
  CreateWorkflowBody,
  Run,
  RunEvent,
  RunFilters,
  RunSearchPage,
  RunStatus,
  SignalAccepted,
  UpdateWorkflowBody,
  Workflow,
  WorkflowPage,
} from './types.js';
export type { ImportChange, ImportResult, WorkflowBundle, WorkflowDocument } from './workflow-documents.js';
export type { components, operations, paths } from './generated/openapi.js';
