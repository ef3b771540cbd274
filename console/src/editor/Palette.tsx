import { useId, useState } from 'react';
import { NODE_TYPE_DRAG } from './EditorCanvas';
import { paletteGroups, type PaletteItem } from './palette-groups';

/**
 * The node types to add, grouped and searchable. Drag one onto the canvas to put it where it is
 * dropped, or press its "Add" button (keyboard) to put it at a free spot.
 */
export function Palette({ items, onAdd }: { items: PaletteItem[]; onAdd: (type: string) => void }) {
  const [query, setQuery] = useState('');
  const searchId = useId();
  const groups = paletteGroups(items, query.trim());
  return (
    <nav className="palette" aria-label="Node types">
      <label htmlFor={searchId}>Search node types</label>
      <input
        id={searchId}
        type="search"
        value={query}
        placeholder="e.g. template, http"
        onChange={(event) => setQuery(event.target.value)}
      />
      {groups.length === 0 && <p className="hint">No node type matches.</p>}
      {groups.map((group) => (
        <section key={group.name} aria-label={group.name}>
          <h3>{group.name}</h3>
          <ul>
            {group.items.map((item) => (
              <li
                key={item.type}
                className="palette-item"
                draggable
                data-testid={`palette-${item.type}`}
                title={item.description}
                onDragStart={(event) => {
                  event.dataTransfer.setData(NODE_TYPE_DRAG, item.type);
                  event.dataTransfer.effectAllowed = 'copy';
                }}
              >
                <span className="palette-type">{item.type.replace(/Node$/, '')}</span>
                <button type="button" onClick={() => onAdd(item.type)} aria-label={`Add ${item.type}`}>
                  Add
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
