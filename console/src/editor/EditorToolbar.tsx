import type { Draft } from './use-draft';
import type { Saving } from './use-save';

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = MAC ? '⌘' : 'Ctrl+';

/** Undo, redo, delete, auto-layout, save (with the unsaved mark and its outcome), snapshot. */
export function EditorToolbar({
  draft,
  saving,
  selectedCount,
  onDelete,
  onAutoLayout,
  onSnapshot,
}: {
  draft: Draft;
  saving: Saving;
  selectedCount: number;
  onDelete: () => void;
  onAutoLayout: () => void;
  onSnapshot: () => void;
}) {
  return (
    <div className="toolbar editor-toolbar" role="toolbar" aria-label="Editor">
      <button type="button" onClick={draft.undo} disabled={!draft.canUndo} aria-keyshortcuts="Control+Z Meta+Z">
        Undo <kbd>{MOD}Z</kbd>
      </button>
      <button
        type="button"
        onClick={draft.redo}
        disabled={!draft.canRedo}
        aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y"
      >
        Redo <kbd>{MAC ? '⇧⌘Z' : 'Ctrl+Y'}</kbd>
      </button>
      <button type="button" onClick={onDelete} disabled={selectedCount === 0} aria-keyshortcuts="Delete Backspace">
        Delete{selectedCount > 1 ? ` ${selectedCount} nodes` : ''}
      </button>
      <button type="button" onClick={onAutoLayout} disabled={draft.definition.nodes.length === 0}>
        Auto-layout
      </button>
      <button
        type="button"
        className="primary"
        onClick={() => void saving.save(draft.definition)}
        disabled={saving.busy || !draft.unsaved}
        aria-keyshortcuts="Control+S Meta+S"
      >
        {saving.busy ? 'Saving…' : 'Save'}
      </button>
      <button
        type="button"
        onClick={onSnapshot}
        disabled={draft.unsaved}
        title={draft.unsaved ? 'Save first: a version is a snapshot of the saved draft' : undefined}
      >
        Snapshot
      </button>
      <span className={draft.unsaved ? 'unsaved-mark' : 'hint'} aria-live="polite">
        {draft.unsaved ? '● Unsaved changes' : `Saved · revision ${draft.stored.revision}`}
      </span>
      {saving.message && (
        <span
          className={saving.message.kind === 'error' ? 'error' : 'ok'}
          role={saving.message.kind === 'error' ? 'alert' : 'status'}
        >
          {saving.message.text}
        </span>
      )}
    </div>
  );
}
