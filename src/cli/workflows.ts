import { Api } from './api.js';
import { CliError } from './errors.js';

export interface WorkflowSummary {
  id: string;
  name: string;
  slug?: string | null;
  definition: { nodes?: unknown[] };
}

interface Page<T> {
  items: T[];
  total: number;
}

/** The group's workflow with this slug, or an error saying there is none. */
export async function workflowBySlug(api: Api, slug: string): Promise<WorkflowSummary> {
  const page = await api.get<Page<WorkflowSummary>>('/v1/workflows', { slug, page_size: 1 });
  const found = page.items.find((workflow) => workflow.slug === slug);
  if (!found)
    throw new CliError(`No workflow with the slug "${slug}" (runloom pull lists the slugs; push creates them)`);
  return found;
}

/** Every workflow of the group, page by page. */
export async function allWorkflows(api: Api): Promise<WorkflowSummary[]> {
  const workflows: WorkflowSummary[] = [];
  for (let page = 1; ; page++) {
    const answer = await api.get<Page<WorkflowSummary>>('/v1/workflows', { page, page_size: 100 });
    workflows.push(...answer.items);
    if (answer.items.length === 0 || workflows.length >= answer.total) return workflows;
  }
}

/** The id of version `number` of the workflow. */
export async function versionId(api: Api, workflow: WorkflowSummary, number: number): Promise<string> {
  for (let page = 1; ; page++) {
    const answer = await api.get<Page<{ id: string; number: number }>>(`/v1/workflows/${workflow.id}/versions`, {
      page,
      page_size: 100,
    });
    const found = answer.items.find((version) => version.number === number);
    if (found) return found.id;
    if (answer.items.length < 100) throw new CliError(`Workflow "${workflow.slug}" has no version ${number}`);
  }
}
