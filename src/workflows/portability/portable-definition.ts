/**
 * Between stored definitions, whose WorkflowNode/MapNode configs call workflows by
 * `workflow_id`/`workflow_version_id`, and portable ones, which call them by `workflow` slug and
 * `workflow_version` number. The swapped key keeps its place among the config's keys, so a
 * definition reads the same in both forms apart from those values.
 */
import type { FieldProblem } from '../../common/problem.js';
import { CHILD_RUN_NODE_TYPES } from '../../execution/nodes/child-workflow.js';
import type { PortableDefinition } from './workflow-document.js';

/** What export knows about the workflows a definition calls. */
export interface CalledWorkflowNames {
  /** Undefined when the workflow has no slug (or no longer exists). */
  slugOf(workflowId: string): string | undefined;
  versionNumberOf(versionId: string): number | undefined;
}

/** What import knows about the workflows a document may call: the group's and the bundle's. */
export interface CalledWorkflowIds {
  workflowIdOf(slug: string): string | undefined;
  versionIdOf(slug: string, number: number): string | undefined;
}

interface Converted {
  definition: Record<string, unknown>;
  problems: FieldProblem[];
}

type Config = Record<string, unknown>;
type Replace = (config: Config, field: string) => { config: Config } | { problem: FieldProblem };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The stored definition with its calls written by slug; a problem for each called workflow without one. */
export function toPortableDefinition(
  definition: Record<string, unknown>,
  names: CalledWorkflowNames,
  field = 'definition',
): Converted {
  return mapCalls(definition, field, (config, at) => {
    const id = String(config.workflow_id);
    const slug = names.slugOf(id.toLowerCase());
    if (slug === undefined) {
      return problem(
        `${at}.workflow_id`,
        `calls workflow ${id}, which has no slug: give it one (PATCH /v1/workflows/${id} with "slug") and export again`,
      );
    }
    const versionId = config.workflow_version_id;
    const number = typeof versionId === 'string' ? names.versionNumberOf(versionId.toLowerCase()) : null;
    if (number === undefined) return problem(`${at}.workflow_version_id`, `is no version of ${slug}`);
    return {
      config: rekey(config, { workflow_id: ['workflow', slug], workflow_version_id: ['workflow_version', number] }),
    };
  });
}

/** The portable definition with its calls written by id, as it is stored; a problem for each call that resolves to nothing. */
export function toStoredDefinition(definition: PortableDefinition, ids: CalledWorkflowIds, field: string): Converted {
  return mapCalls(definition, field, (config, at) => {
    if ('workflow_id' in config || 'workflow_version_id' in config) {
      return problem(`${at}.workflow_id`, 'documents call workflows by "workflow": "<slug>", not by id');
    }
    const slug = config.workflow;
    if (typeof slug !== 'string') return problem(`${at}.workflow`, 'must be the slug of a workflow');
    const workflowId = ids.workflowIdOf(slug);
    if (!workflowId) return problem(`${at}.workflow`, `no workflow with slug "${slug}" in this group or the import`);
    const number = config.workflow_version ?? null;
    const versionId = typeof number === 'number' ? ids.versionIdOf(slug, number) : null;
    if (number !== null && !versionId) {
      return problem(`${at}.workflow_version`, `"${slug}" has no version ${JSON.stringify(number)}`);
    }
    return {
      config: rekey(config, {
        workflow: ['workflow_id', workflowId],
        workflow_version: ['workflow_version_id', versionId],
      }),
    };
  });
}

/** The slugs a portable definition calls, in order of first call. */
export function calledSlugs(definition: unknown): string[] {
  const slugs = new Set<string>();
  mapCalls(definition, '', (config) => {
    if (typeof config.workflow === 'string') slugs.add(config.workflow);
    return { config };
  });
  return [...slugs];
}

function mapCalls(definition: unknown, field: string, replace: Replace): Converted {
  if (!isObject(definition) || !Array.isArray(definition.nodes))
    return { definition: definition as Config, problems: [] };
  const problems: FieldProblem[] = [];
  const nodes = definition.nodes.map((node: unknown, index) => {
    if (!isObject(node) || !CHILD_RUN_NODE_TYPES.has(node.type as string) || !isObject(node.config)) return node;
    const replaced = replace(node.config, `${field}.nodes[${index}].config`);
    if ('problem' in replaced) {
      problems.push(replaced.problem);
      return node;
    }
    return rekey(node, { config: ['config', replaced.config] });
  });
  return { definition: rekey(definition, { nodes: ['nodes', nodes] }), problems };
}

function problem(field: string, message: string): { problem: FieldProblem } {
  return { problem: { field, message } };
}

/** A copy of `object` with each key of `swaps` that it has replaced by [new key, new value], in its place. */
function rekey(object: Config, swaps: Record<string, [string, unknown]>): Config {
  const copy: Config = {};
  for (const [key, value] of Object.entries(object)) {
    if (Object.hasOwn(swaps, key)) copy[swaps[key][0]] = swaps[key][1];
    else copy[key] = value;
  }
  return copy;
}
