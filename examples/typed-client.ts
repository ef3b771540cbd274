/**
 * A typed Runloom client from the OpenAPI document, with nothing hand-written: `npm run contract`
 * generates examples/generated/runloom-api.d.ts (openapi-typescript, default flags) and compiles
 * this file against it; test/typed-client.e2e-spec.ts runs it against a live server.
 *
 *   npm run build && npm run contract
 *   RUNLOOM_URL=http://localhost:3000 RUNLOOM_API_KEY=rl_… npx tsx examples/typed-client.ts
 */
import { pathToFileURL } from 'node:url';
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './generated/runloom-api.js';
import { SEED_DEFINITION } from './seed-workflow.js';

export type Run = components['schemas']['RunResponse'];
export type Problem = components['schemas']['Problem'];
export type RunloomClient = Client<paths>;

export function runloomClient(baseUrl: string, apiKey: string): RunloomClient {
  return createClient<paths>({ baseUrl, headers: { 'X-API-Key': apiKey } });
}

/** Every error answer is a typed `Problem`. */
export class RunloomError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.title}: ${problem.detail ?? ''}`);
  }
}

function ok<T>(answer: { data?: T; error?: Problem }): T {
  if (answer.error) throw new RunloomError(answer.error);
  return answer.data as T;
}

/** The sync answer is the run, or only its output map with `output_only=true`. */
function isRun(answer: Run | Record<string, unknown>): answer is Run {
  return typeof answer.id === 'string' && typeof answer.status === 'string' && 'output' in answer;
}

export interface SampleResult {
  run: Run;
  output: Record<string, unknown>;
  runIds: string[];
  /** The runs `GET /v1/runs` finds by the first run's metadata. */
  labelledRunIds: string[];
  nodeStatuses: Record<string, string>;
  missingRun: Problem;
}

/** Stores the README's sample workflow, runs it both ways, and reads back its lists, a search and a 404. */
export async function runSample(client: RunloomClient, question: string): Promise<SampleResult> {
  const workflow = ok(
    await client.POST('/v1/workflows', { body: { name: 'Beginner answers', definition: SEED_DEFINITION } }),
  );
  const path = { workflow_id: workflow.id };

  const answer = ok(
    await client.POST('/v1/workflows/{workflow_id}/runs/sync', {
      params: { path },
      body: { input: { 'User Question': question }, metadata: { source: 'typed-client' } },
    }),
  );
  if (!isRun(answer)) throw new Error('expected the whole run');
  const output = ok(
    await client.POST('/v1/workflows/{workflow_id}/runs/sync', {
      params: { path, query: { output_only: true } },
      body: { input: { 'User Question': question, Context: 'typed' } },
    }),
  );

  const runs = ok(
    await client.GET('/v1/workflows/{workflow_id}/runs', { params: { path, query: { status: 'completed' } } }),
  );
  // Across workflows, by labels: openapi-fetch sends `metadata` as metadata[source]=typed-client.
  const labelled = ok(
    await client.GET('/v1/runs', {
      params: { query: { metadata: { source: 'typed-client' }, status: ['completed'], limit: 10 } },
    }),
  );
  const nodes = ok(await client.GET('/v1/runs/{run_id}/nodes', { params: { path: { run_id: answer.id } } }));
  const missing = await client.GET('/v1/runs/{run_id}', {
    params: { path: { run_id: '00000000-0000-4000-8000-000000000000' } },
  });
  if (!missing.error) throw new Error('expected a 404 problem');

  return {
    run: answer,
    output,
    runIds: runs.items.map((run) => run.id),
    labelledRunIds: labelled.items.map((run) => run.id),
    nodeStatuses: Object.fromEntries(nodes.items.map((node) => [node.node_id, node.status])),
    missingRun: missing.error,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const client = runloomClient(process.env.RUNLOOM_URL ?? 'http://localhost:3000', process.env.RUNLOOM_API_KEY ?? '');
  console.error(JSON.stringify(await runSample(client, 'What is a DAG?'), null, 2));
}
