import { useId, useState, type FormEvent } from 'react';
import { api } from '../api';
import { ProblemAlert } from '../components/common';
import { navigate } from '../router';
import type { Workflow } from '../types';

/** Creates a workflow with an empty definition and opens it in the editor, on an empty canvas. */
export function NewWorkflowForm() {
  const id = useId();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [slug, setSlug] = useState('');
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      const created = await api.post<Workflow>('/v1/workflows', {
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(slug.trim() ? { slug: slug.trim() } : {}),
        definition: { nodes: [], edges: [] },
      });
      navigate(`/workflows/${created.id}`);
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  };

  return (
    <form className="new-workflow" onSubmit={create} aria-label="New workflow">
      <label htmlFor={`${id}-name`}>Name</label>
      <input
        id={`${id}-name`}
        value={name}
        required
        maxLength={200}
        onChange={(event) => setName(event.target.value)}
      />
      <label htmlFor={`${id}-description`}>Description (optional)</label>
      <input
        id={`${id}-description`}
        value={description}
        maxLength={2000}
        onChange={(event) => setDescription(event.target.value)}
      />
      <label htmlFor={`${id}-slug`}>Slug (optional, for code: e.g. daily-report)</label>
      <input
        id={`${id}-slug`}
        value={slug}
        maxLength={64}
        pattern="[a-z0-9]([a-z0-9\-]{0,62}[a-z0-9])?"
        title="lowercase letters, digits and inner hyphens"
        onChange={(event) => setSlug(event.target.value)}
      />
      <button type="submit" disabled={busy || !name.trim()}>
        Create and open the editor
      </button>
      <ProblemAlert failure={failure} listLabel="Why the workflow was not created" />
    </form>
  );
}
