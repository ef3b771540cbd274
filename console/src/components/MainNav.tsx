import { useEffect, useState } from 'react';
import { Link } from '../router';

const PAGES: { to: string; label: string }[] = [
  { to: '/', label: 'Workflows' },
  { to: '/runs', label: 'Runs' },
  { to: '/debugger', label: 'Debugger' },
  { to: '/schedules', label: 'Schedules' },
  { to: '/triggers', label: 'Triggers' },
  { to: '/secrets', label: 'Secrets' },
  { to: '/api-keys', label: 'API keys' },
  { to: '/groups', label: 'Groups' },
];

function isCurrent(to: string, path: string): boolean {
  if (to === '/') return path === '/' || path.startsWith('/workflows');
  return path === to || path.startsWith(`${to}/`);
}

/** The header's links; on a narrow screen they fold behind a Menu button, closed again by each navigation. */
export function MainNav({ path }: { path: string }) {
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [path]);
  return (
    <>
      <button
        type="button"
        className="menu-button"
        aria-expanded={open}
        aria-controls="main-nav"
        onClick={() => setOpen(!open)}
      >
        Menu
      </button>
      <nav id="main-nav" aria-label="Main" className={open ? 'open' : undefined}>
        {PAGES.map((page) => (
          <Link key={page.to} to={page.to} aria-current={isCurrent(page.to, path) ? 'page' : undefined}>
            {page.label}
          </Link>
        ))}
        <a href="/docs" target="_blank" rel="noreferrer">
          API docs
        </a>
      </nav>
    </>
  );
}
