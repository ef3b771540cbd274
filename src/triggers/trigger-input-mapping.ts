import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { CodeSandbox } from '../execution/code-sandbox/code-sandbox.js';
import { checkExpression } from '../execution/jsonata-expression.js';

/** A mapping gets this long; a delivery's sender waits for its answer. */
const MAPPING_TIMEOUT_MS = 1000;
/** The run input a mapping gives is a run input: the body limit bounds it well below this. */
const MAX_INPUT_BYTES = 10 * 1024 * 1024;

/** What a mapping reads: the delivery's parsed body, its headers (lower-case names) and query. */
export interface MappingData {
  body: unknown;
  headers: Record<string, string>;
  query: Record<string, unknown>;
}

export type MappingResult = { ok: true; input: Record<string, unknown> } | { ok: false; message: string };

/** Why `expression` cannot be a trigger's input_mapping (it does not parse), if it cannot. */
export function mappingProblems(expression: string): { field: string; message: string }[] {
  return checkExpression(expression, 'input_mapping').map(({ path, message }) => ({ field: path, message }));
}

/**
 * Evaluates triggers' input mappings (JSONata) in a sandbox of their own: a runaway expression
 * (a catastrophic regex included) times out in a worker thread instead of blocking the API, and
 * deliveries never wait behind the runs' CodeNodes for a worker.
 */
@Injectable()
export class TriggerInputMapping implements OnApplicationShutdown {
  private readonly sandbox = new CodeSandbox({ maxWorkers: 2, perGroup: 1 });

  async evaluate(expression: string, data: MappingData, groupId: string): Promise<MappingResult> {
    const outcome = await this.sandbox.run(
      { kind: 'jsonata', expression, data, timeoutMs: MAPPING_TIMEOUT_MS, maxValueBytes: MAX_INPUT_BYTES },
      AbortSignal.timeout(MAPPING_TIMEOUT_MS * 5),
      groupId,
    );
    if (!outcome.ok) return { ok: false, message: outcome.message };
    const input = outcome.resultJson === '' ? undefined : (JSON.parse(outcome.resultJson) as unknown);
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return { ok: false, message: `input_mapping must give an object (the run input), not ${describe(input)}` };
    }
    return { ok: true, input: input as Record<string, unknown> };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sandbox.close();
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the expression matched nothing)';
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : `a ${typeof value}`;
}
