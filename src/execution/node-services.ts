/**
 * What the server lends node types at run time. The run executor builds it once from the
 * configuration (and so owns its sandbox: warms it at start, closes it at shutdown); the engine
 * only passes it through to `NodeContext.services`. Every field is optional, so unit tests and
 * tools can run workflows without any of it.
 */
import type { OutboundPolicy } from '../common/outbound/outbound-guard.js';
import { DEFAULT_SANDBOX_WORKERS, DEFAULT_SANDBOX_WORKERS_PER_GROUP, type AppConfig } from '../config/app-config.js';
import { CodeSandbox } from './code-sandbox/code-sandbox.js';

/** An OpenAI-compatible Chat Completions endpoint (LLM_BASE_URL, LLM_API_KEY, LLM_MODEL). */
export interface LlmProvider {
  /** e.g. `https://api.openai.com/v1`; requests go to `{baseUrl}/chat/completions`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`; no header at all when unset (local servers). */
  apiKey?: string;
  /** The model used by nodes whose config names none. */
  defaultModel?: string;
  /** Retries of a request that failed before any token arrived (429, 5xx, connection errors); default 2. */
  maxRetries?: number;
}

/** Server limits on what user code (CodeNode, JSONata, templates) may take and make. */
export interface UserCodeLimits {
  /** The largest value, as UTF-8 JSON, a node may make (MAX_VALUE_BYTES). */
  maxValueBytes: number;
  /** The server maximum for any node's `timeout_ms` (USER_CODE_MAX_TIMEOUT_MS). */
  maxTimeoutMs: number;
}

export const DEFAULT_USER_CODE_LIMITS: UserCodeLimits = { maxValueBytes: 10 * 1024 * 1024, maxTimeoutMs: 30_000 };

export function userCodeLimits(services: NodeServices | undefined): UserCodeLimits {
  return services?.limits ?? DEFAULT_USER_CODE_LIMITS;
}

let fallback: CodeSandbox | undefined;

/**
 * The sandbox of runs given none (unit tests, tools), with the default limits; made on first
 * use, so a process that runs no user code starts no worker.
 */
export function fallbackSandbox(): CodeSandbox {
  fallback ??= new CodeSandbox({ maxWorkers: DEFAULT_SANDBOX_WORKERS, perGroup: DEFAULT_SANDBOX_WORKERS_PER_GROUP });
  return fallback;
}

export function userCodeSandbox(services: NodeServices | undefined): CodeSandbox {
  return services?.sandbox ?? fallbackSandbox();
}

export interface NodeServices {
  /** Unset in tests and tools: DEFAULT_USER_CODE_LIMITS. */
  limits?: UserCodeLimits;
  /** Runs user code: CodeNode code, JSONata, large template fills. Unset in tests and tools: fallbackSandbox(). */
  sandbox?: CodeSandbox;
  /** Unset when no provider is configured: TextGenerationNode then fails with `llm_not_configured`. */
  llm?: LlmProvider;
  /** The outbound rules for HttpRequestNode; unset means the strict default (no private addresses). */
  outbound?: OutboundPolicy;
  /** Set for traced runs: opens a client span (under the node's span) around an outbound call. */
  traceOutbound?: TraceOutbound;
  /** Starts child runs for WorkflowNode and MapNode; unset where no server runs them. */
  childRuns?: ChildRuns;
}

/** One child run a WorkflowNode (or one MapNode item) asks for. */
export interface ChildRunRequest {
  nodeId: string;
  /** The node's attempt: a retried node starts new children. */
  attempt: number;
  /** The MapNode item; null for a WorkflowNode. */
  itemIndex: number | null;
  workflowId: string;
  /** Null runs the workflow's draft. */
  versionId: string | null;
  input: Record<string, unknown>;
  /** Aborting it stops the child run. */
  signal: AbortSignal;
}

export type ChildRunResult = EndedChildRun | RefusedChildRun;

/** A child run that ran to its end. */
export interface EndedChildRun {
  runId: string;
  status: 'completed' | 'failed' | 'stopped';
  output: Record<string, unknown> | null;
  /** `node_id` is null when the child failed as a whole (its attempts ran out, an internal error). */
  error: { node_id: string | null; message: string; type: string } | null;
}

/**
 * A call whose input does not fit the child workflow (`child_input_invalid`): no child run was
 * created. A result rather than an error, so a MapNode treats it as one failed item.
 */
export interface RefusedChildRun {
  runId: null;
  status: 'failed';
  output: null;
  error: { node_id: null; message: string; type: 'child_input_invalid' };
}

/**
 * Runs child workflows as real runs of the same group. A child the parent already started (before
 * a crash, say) is not started again: a finished one gives its result, an unfinished one resumes.
 */
export interface ChildRuns {
  run(request: ChildRunRequest): Promise<ChildRunResult>;
}

export type TraceOutbound = (
  nodeId: string,
  name: string,
  attributes: Record<string, string | number>,
) => { end(result: { status?: number; error?: string }): void };

/** Runs `call` inside a client span when the run is traced, recording its status or error. */
export async function withClientSpan<T>(
  services: NodeServices | undefined,
  nodeId: string,
  name: string,
  attributes: Record<string, string | number>,
  call: () => Promise<T>,
  statusOf: (result: T) => number | undefined = () => undefined,
): Promise<T> {
  const span = services?.traceOutbound?.(nodeId, name, attributes);
  if (!span) return call();
  try {
    const result = await call();
    span.end({ status: statusOf(result) });
    return result;
  } catch (error) {
    span.end({ error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

export function nodeServicesFromConfig(
  config: Pick<
    AppConfig,
    | 'llmBaseUrl'
    | 'llmApiKey'
    | 'llmModel'
    | 'outboundAllowPrivate'
    | 'maxValueBytes'
    | 'userCodeMaxTimeoutMs'
    | 'sandboxWorkers'
    | 'sandboxWorkersPerGroup'
  >,
): NodeServices {
  const outbound = { allowPrivate: config.outboundAllowPrivate };
  const limits = { maxValueBytes: config.maxValueBytes, maxTimeoutMs: config.userCodeMaxTimeoutMs };
  const sandbox = new CodeSandbox({ maxWorkers: config.sandboxWorkers, perGroup: config.sandboxWorkersPerGroup });
  if (config.llmBaseUrl === undefined) return { outbound, limits, sandbox };
  return {
    outbound,
    limits,
    sandbox,
    llm: { baseUrl: config.llmBaseUrl, apiKey: config.llmApiKey, defaultModel: config.llmModel },
  };
}
