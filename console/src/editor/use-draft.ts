import { useEffect, useState } from 'react';
import type { Definition, Workflow } from '../types';
import { canRedo, canUndo, record, redo, startHistory, undo, type History } from './history';

export interface Draft {
  /** The workflow as last read or saved: its revision is what a save's If-Match names. */
  stored: Workflow;
  definition: Definition;
  /** True when the definition differs from the stored one. */
  unsaved: boolean;
  edit: (definition: Definition, mergeKey?: string) => void;
  undo: () => void;
  redo: () => void;
  canUndo: boolean;
  canRedo: boolean;
  /** A save of `sent` answered with `workflow`: the API stores definitions as sent. */
  markSaved: (workflow: Workflow, sent: Definition) => void;
  /** The workflow as the API now has it (restored, or someone else's), as one more undoable edit. */
  adopt: (workflow: Workflow) => void;
}

/** The definition being edited, its undo history, and the stored workflow it will be saved over. */
export function useDraft(workflow: Workflow): Draft {
  const [stored, setStored] = useState(workflow);
  const [history, setHistory] = useState<History<Definition>>(() => startHistory(workflow.definition));
  const unsaved = history.present !== stored.definition;
  useLeaveWarning(unsaved);
  return {
    stored,
    definition: history.present,
    unsaved,
    edit: (definition, mergeKey) => setHistory((current) => record(current, definition, mergeKey)),
    undo: () => setHistory(undo),
    redo: () => setHistory(redo),
    canUndo: canUndo(history),
    canRedo: canRedo(history),
    // The sent object itself, so that edits made while the save was on its way stay unsaved.
    markSaved: (next, sent) => setStored({ ...next, definition: sent }),
    adopt: (next) => {
      setStored(next);
      setHistory((current) => record(current, next.definition));
    },
  };
}

/** Asks before a reload, a closed tab, or a console link leaves unsaved edits behind. */
function useLeaveWarning(unsaved: boolean): void {
  useEffect(() => {
    if (!unsaved) return;
    const beforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    const beforeLink = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.('a[href]');
      if (!link || link.getAttribute('target') === '_blank') return;
      if (!window.confirm('This workflow has unsaved changes. Leave without saving?')) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener('beforeunload', beforeUnload);
    document.addEventListener('click', beforeLink, true);
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      document.removeEventListener('click', beforeLink, true);
    };
  }, [unsaved]);
}
