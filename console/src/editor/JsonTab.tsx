import { useId } from 'react';
import { errorMessage } from '../api';
import type { Definition } from '../types';

/** The definition as text: JSON.stringify of what is being edited, so the stored key order shows. */
export const definitionText = (definition: Definition) => JSON.stringify(definition, null, 2);

/**
 * Reads the JSON tab's text back: the definition it holds, or why it cannot be one. Only the outline
 * is checked here; what the validator refuses is shown on the canvas like any other problem.
 */
export function parseDefinitionText(text: string): { definition: Definition } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (failure) {
    return { problem: `Not valid JSON: ${errorMessage(failure)}` };
  }
  const outline = value as { nodes?: unknown; edges?: unknown } | null;
  if (!outline || typeof outline !== 'object' || Array.isArray(outline)) {
    return { problem: 'A definition is a JSON object with "nodes" and "edges" arrays.' };
  }
  if (!Array.isArray(outline.nodes) || !Array.isArray(outline.edges)) {
    return { problem: 'A definition needs a "nodes" array and an "edges" array.' };
  }
  const nodesOk = outline.nodes.every((node) => node && typeof node === 'object' && typeof node.id === 'string');
  const edgesOk = outline.edges.every(
    (edge) => typeof edge?.from?.node_id === 'string' && typeof edge?.to?.node_id === 'string',
  );
  if (!nodesOk) return { problem: 'Every node needs a string "id".' };
  if (!edgesOk) return { problem: 'Every edge needs "from.node_id" and "to.node_id".' };
  return { definition: value as Definition };
}

/** The JSON tab: edits are kept as text here until they parse (the page takes them back on leaving). */
export function JsonTab({ text, problem, onText }: { text: string; problem?: string; onText: (text: string) => void }) {
  const id = useId();
  return (
    <section className="json-tab">
      <label htmlFor={id}>Definition JSON (as stored; edits apply when you leave this tab or save)</label>
      <textarea
        id={id}
        className="code"
        rows={28}
        spellCheck={false}
        value={text}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(event) => onText(event.target.value)}
      />
      {problem && (
        <p className="error" role="alert" id={`${id}-problem`}>
          {problem}
        </p>
      )}
    </section>
  );
}
