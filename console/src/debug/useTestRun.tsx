import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { Definition, Workflow } from '../types';
import { useRunFollower } from './run-follower';
import type { GraphNodeInfo } from '../graph/Graph';
import type { NodeMenuItem } from '../graph/FlowNode';
import { testRunInfo } from './run-info';
import { fromHere, WHOLE_WORKFLOW, type RunTarget } from './run-target';
import { TestRunPanel } from './TestRunPanel';

/** What the editor tells the test run of the definition being edited. */
export interface EditorDraft {
  /** The definition on the canvas, saved or not. */
  definition: Definition;
  /** Whether the canvas has changes the API has not stored: a run takes the stored draft. */
  unsaved: boolean;
  /** Stores the canvas as the draft (the editor shows why, when the API refuses). */
  save: () => Promise<void>;
}

export interface TestRun {
  /** Drawn on each node of the canvas: the test run's status, inputs, outputs, tokens, attempts, error. */
  runInfo: Record<string, GraphNodeInfo>;
  /** A node's context menu: run it alone, up to it (`node_ids`), or it and what follows. */
  nodeMenu: (nodeId: string) => NodeMenuItem[];
  /** The test-run form and the followed run's summary, for the editor's side panel. */
  panel: ReactNode;
}

const PANEL_ID = 'test-run-title';

/**
 * Test runs from the editor: the panel starts a run (of the workflow, some nodes, or one node) in a
 * fresh debugger session and follows it, and `runInfo` puts what happens on the canvas's nodes.
 */
export function useTestRun(workflow: Workflow, draft: EditorDraft): TestRun {
  const [target, setTarget] = useState<RunTarget>(WHOLE_WORKFLOW);
  const { followed, start } = useRunFollower(workflow.id);

  const choose = (next: RunTarget) => {
    setTarget(next);
    // The menu closes; the form it asked for is where the keyboard goes next.
    requestAnimationFrame(() => document.getElementById(PANEL_ID)?.focus());
  };
  const { definition } = draft;
  const nodeMenu = useCallback(
    (nodeId: string): NodeMenuItem[] => [
      { label: 'Run this node', onSelect: () => choose({ kind: 'single', nodeId }) },
      {
        label: 'Run up to here',
        onSelect: () => choose({ kind: 'nodes', nodeIds: [nodeId], title: `up to ${nodeId}` }),
      },
      {
        label: 'Run from here',
        onSelect: () => choose({ kind: 'nodes', nodeIds: fromHere(definition, nodeId), title: `from ${nodeId} on` }),
      },
    ],
    [definition],
  );
  // Kept while nothing changes, so the canvas does not redraw every card on each render. A run
  // the API refused never existed: the cards stay as drawn.
  const runInfo = useMemo(
    () => (followed?.runId ? testRunInfo(definition, followed.state, followed.target) : {}),
    [definition, followed],
  );

  return {
    runInfo,
    nodeMenu,
    panel: (
      <TestRunPanel
        workflow={workflow}
        draft={draft}
        target={target}
        onTarget={choose}
        followed={followed}
        start={start}
      />
    ),
  };
}
