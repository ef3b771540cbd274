import { useEffect, useRef } from 'react';

export interface NodeMenuItem {
  label: string;
  onSelect: () => void;
}

/** A node's context menu (right-click or its "⋯" button): Escape or a click elsewhere closes it. */
export function NodeMenu({
  nodeId,
  items,
  at,
  onClose,
}: {
  nodeId: string;
  items: NodeMenuItem[];
  at: { x: number; y: number };
  onClose: () => void;
}) {
  const menu = useRef<HTMLUListElement>(null);
  useEffect(() => {
    menu.current?.querySelector('button')?.focus();
    const closeOutside = (event: PointerEvent) => {
      if (!menu.current?.contains(event.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', closeOutside);
    return () => document.removeEventListener('pointerdown', closeOutside);
  }, [onClose]);
  return (
    <ul
      ref={menu}
      className="node-menu"
      role="menu"
      aria-label={`Actions for ${nodeId}`}
      style={{ left: at.x, top: at.y }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
        if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
          event.preventDefault();
          const buttons = [...(menu.current?.querySelectorAll('button') ?? [])];
          const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
          buttons[(at + (event.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length]?.focus();
        }
      }}
    >
      {items.map((item) => (
        <li key={item.label} role="none">
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              onClose();
              item.onSelect();
            }}
          >
            {item.label}
          </button>
        </li>
      ))}
    </ul>
  );
}
