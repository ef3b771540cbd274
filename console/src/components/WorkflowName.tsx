import { Link } from '../router';

/** A link to a workflow, by its name (by its id while the name loads, or once the workflow is deleted). */
export function WorkflowLink({ id, names }: { id: string; names: Map<string, string> }) {
  return <Link to={`/workflows/${id}`}>{names.get(id) ?? id}</Link>;
}
