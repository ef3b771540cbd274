import { Api } from './api.js';
import { EXIT } from './errors.js';
import { formatValue, note, print, printJson } from './output.js';
import { describeEvent, NodeTally, TERMINAL_EVENTS } from './progress.js';
import { readServerEvents } from './sse.js';

export interface Run {
  id: string;
  workflow_id: string;
  status: string;
  output: Record<string, unknown> | null;
  error: { node_id?: string; message: string; type?: string } | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  [field: string]: unknown;
}

const FINISHED = new Set(['completed', 'failed', 'stopped']);

export function isFinished(run: Run): boolean {
  return FINISHED.has(run.status);
}

/**
 * Waits for the run to finish by reading its event stream (resuming after the last event seen if
 * the connection drops), printing a progress line per event when `progress` is given.
 */
export async function awaitRun(api: Api, run: Run, progress?: { totalNodes?: number }): Promise<Run> {
  const tally = new NodeTally(progress?.totalNodes);
  let lastId: string | undefined;
  while (!isFinished(run)) {
    const response = await api.stream(`/v1/runs/${run.id}/events`, {
      headers: lastId ? { 'Last-Event-ID': lastId } : {},
    });
    if (response.status === 200 && response.body) {
      for await (const event of readServerEvents(response.body)) {
        lastId = event.id ?? lastId;
        if (progress) {
          const line = describeEvent(event, { prefix: tally.record(event) });
          if (line) note(line);
        }
        if (TERMINAL_EVENTS.has(event.event)) break;
      }
    }
    run = await api.get<Run>(`/v1/runs/${run.id}`);
  }
  return run;
}

/** Prints a finished (or still running) run: its output or its error, or the whole run with `--json`. */
export function reportRun(run: Run, json: boolean): number {
  if (json) printJson(run);
  else if (run.status === 'completed') print(formatValue(run.output ?? {}));
  else if (!isFinished(run)) print(`Run ${run.id} is ${run.status}.`);
  else {
    const where = run.error?.node_id ? ` at node ${run.error.node_id}` : '';
    note(`Run ${run.id} ${run.status}${where}${run.error ? `: ${run.error.message}` : ''}`);
  }
  return run.status === 'failed' || run.status === 'stopped' ? EXIT.failed : EXIT.ok;
}
