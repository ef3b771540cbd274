import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { placeProblems, problemsOfNode } from '../definition-problems';
import { catalogEntry, useNodeCatalog } from '../graph/catalog';
import { READABLE_ZOOM } from '../graph/Graph';
import { layeredLayout, layoutDefinition } from '../graph/layout';
import { portsOf } from '../graph/ports';
import { NodeConfigPanel } from '../config-form/NodeConfigPanel';
import type { Definition } from '../types';
import { addNode, deleteNodes, moveNodes, replaceNode, type XY } from './definition-edits';
import { EditorCanvas, type EditorSlots } from './EditorCanvas';
import { EditorToolbar } from './EditorToolbar';
import { Palette } from './Palette';
import { freeSpot } from './placement';
import type { Draft } from './use-draft';
import type { Saving } from './use-save';
import { useEditorShortcuts } from './use-shortcuts';
import { useValidation } from './use-validation';

/**
 * The Editor tab: palette, canvas and the selected node's config, over the draft. Problems come
 * from live validation of what is drawn, or from the last refused save of it.
 */
export function WorkflowEditor(props: WorkflowEditorProps) {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  );
}

type WorkflowEditorProps = { draft: Draft; saving: Saving; onSnapshot: () => void } & EditorSlots;

function Editor({ draft, saving, onSnapshot, runInfo, nodeMenu, sidePanel }: WorkflowEditorProps) {
  const flow = useReactFlow();
  const { definition } = draft;
  const { catalog, error: catalogError } = useNodeCatalog();
  const validation = useValidation(draft.stored.id, definition);
  const [chosen, setSelected] = useState<string[]>([]);
  // An undo may take a selected node away.
  const selected = chosen.filter((id) => definition.nodes.some((node) => node.id === id));
  const [notice, setNotice] = useState<string>();

  const ports = useMemo(() => portsOf(definition, catalog, validation?.connectors), [definition, catalog, validation]);
  const shownProblems =
    saving.problems?.sent === definition
      ? saving.problems
      : validation && { sent: validation.definition, errors: validation.errors };
  const placed = useMemo(
    () => placeProblems(shownProblems?.sent, shownProblems?.errors ?? []),
    [shownProblems?.sent, shownProblems?.errors],
  );

  const edit = (next: Definition, mergeKey?: string) => {
    setNotice(undefined);
    draft.edit(next, mergeKey);
  };
  const add = (type: string, at?: XY) => {
    const position = at ?? freeSpot(layoutDefinition(definition, ports).values());
    const added = addNode(definition, type, position);
    edit(added.definition);
    setSelected([added.id]);
    setNotice(`Added ${added.id} (${type}).`);
  };
  const deleteSelected = () => {
    edit(deleteNodes(definition, selected));
    setNotice(`Deleted ${selected.join(', ')}.`);
    setSelected([]);
  };
  const autoLayout = () => {
    edit(moveNodes(definition, Object.fromEntries(layeredLayout(definition, ports))));
    // Once React Flow has the new positions.
    requestAnimationFrame(() => void flow.fitView({ padding: 0.1, maxZoom: 1, minZoom: READABLE_ZOOM }));
  };

  useEditorShortcuts({ undo: draft.undo, redo: draft.redo, save: () => void saving.save(definition) });

  const singleIndex = selected.length === 1 ? definition.nodes.findIndex((node) => node.id === selected[0]) : -1;
  const single = singleIndex < 0 ? undefined : definition.nodes[singleIndex];
  const singleType = single && catalogEntry(catalog, single.type);

  return (
    <div className="workflow-editor">
      <EditorToolbar
        draft={draft}
        saving={saving}
        selectedCount={selected.length}
        onDelete={deleteSelected}
        onAutoLayout={autoLayout}
        onSnapshot={onSnapshot}
      />
      <p className="editor-notice" role="status" aria-live="polite">
        {notice}
      </p>
      <div className="editor-body">
        {catalog ? (
          <Palette items={catalog.items} onAdd={(type) => add(type)} />
        ) : (
          <p className={catalogError ? 'error' : 'hint'}>{catalogError ?? 'Loading node types…'}</p>
        )}
        <div className="editor-main">
          <EditorCanvas
            definition={definition}
            connectors={validation?.connectors}
            problems={placed.byNode}
            selected={selected}
            onSelect={setSelected}
            onEdit={edit}
            onDropType={add}
            onRefused={(reason) => setNotice(`Not connected: ${reason}.`)}
            runInfo={runInfo}
            nodeMenu={nodeMenu}
          />
          {placed.general.length > 0 && (
            <ul className="problems" aria-label="Problems not tied to one node">
              {placed.general.map((error, index) => (
                <li key={index}>
                  <code>{error.field}</code>: {error.message}
                </li>
              ))}
            </ul>
          )}
        </div>
        <aside className="editor-side" aria-label="Selected node">
          {single && singleType && catalog ? (
            <NodeConfigPanel
              // By place, not id: renaming the node keeps the form (and the focus in its id field).
              key={singleIndex}
              node={single}
              nodeType={singleType}
              policySchema={catalog.node_policy_schema}
              problems={problemsOfNode(shownProblems?.sent, shownProblems?.errors ?? [], single.id)}
              connectors={ports.get(single.id)}
              onChange={(node) => {
                const result = replaceNode(definition, single.id, node);
                if ('refused' in result) return setNotice(`Not changed: ${result.refused}.`);
                edit(result.definition, `node:${singleIndex}`);
                if (node.id !== single.id) setSelected([node.id]);
              }}
            />
          ) : (
            <p className="hint">
              {single
                ? `Unknown node type ${single.type}: edit it in the JSON tab.`
                : 'Select a node to edit its config.'}
            </p>
          )}
          {sidePanel}
        </aside>
      </div>
    </div>
  );
}
