import { useId, useRef, type ReactNode } from 'react';
import './tabs.css';

/**
 * WAI-ARIA tabs: one tab stop, arrow keys (and Home/End) move between tabs, only the chosen
 * panel is rendered. `onChoose` may decline a change (e.g. the JSON tab holding invalid JSON).
 */
export function Tabs<T extends string>({
  label,
  tabs,
  chosen,
  onChoose,
  children,
}: {
  label: string;
  tabs: readonly { id: T; title: string }[];
  chosen: T;
  onChoose: (tab: T) => void;
  children: ReactNode;
}) {
  const prefix = useId();
  const list = useRef<HTMLDivElement>(null);
  const move = (to: number) => {
    const tab = tabs[(to + tabs.length) % tabs.length];
    onChoose(tab.id);
    list.current?.querySelector<HTMLElement>(`#${CSS.escape(`${prefix}-${tab.id}`)}`)?.focus();
  };
  const at = tabs.findIndex((tab) => tab.id === chosen);
  return (
    <>
      <div
        ref={list}
        role="tablist"
        aria-label={label}
        className="tabs"
        onKeyDown={(event) => {
          const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
          if (to === undefined) return;
          event.preventDefault();
          move(to);
        }}
      >
        {tabs.map((tab) => (
          <button
            key={tab.id}
            id={`${prefix}-${tab.id}`}
            type="button"
            role="tab"
            aria-selected={tab.id === chosen}
            aria-controls={`${prefix}-panel`}
            tabIndex={tab.id === chosen ? 0 : -1}
            onClick={() => onChoose(tab.id)}
          >
            {tab.title}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${prefix}-panel`} aria-labelledby={`${prefix}-${chosen}`} className="tab-panel">
        {children}
      </div>
    </>
  );
}
