import { useState } from 'react';
import { credentials } from './api';
import { GroupPicker } from './components/GroupPicker';
import { DebuggerPage, DebuggerStart } from './pages/DebuggerPage';
import { RunPage } from './pages/RunPage';
import { RunsPage } from './pages/RunsPage';
import { SignIn } from './pages/SignIn';
import { WorkflowPage } from './pages/WorkflowPage';
import { WorkflowsPage } from './pages/WorkflowsPage';
import { Link, usePath } from './router';

function route(path: string) {
  const match = (pattern: RegExp) => pattern.exec(path)?.slice(1).map(decodeURIComponent);
  let params: string[] | undefined;
  if ((params = match(/^\/workflows\/([^/]+)$/))) return <WorkflowPage key={params[0]} workflowId={params[0]} />;
  if ((params = match(/^\/runs\/([^/]+)$/))) return <RunPage key={params[0]} runId={params[0]} />;
  if ((params = match(/^\/debugger\/([^/]+)$/))) return <DebuggerPage key={params[0]} session={params[0]} />;
  if (path === '/runs') return <RunsPage />;
  if (path === '/debugger') return <DebuggerStart />;
  if (path === '/' || path === '/workflows') return <WorkflowsPage />;
  return (
    <main>
      <h1>Not found</h1>
      <p>
        Nothing lives at this address. <Link to="/">Back to the workflows</Link>.
      </p>
    </main>
  );
}

export function App() {
  const path = usePath();
  const [signedIn, setSignedIn] = useState(() => credentials.key() !== null);
  // Changing the acting group reloads the page's data under the new group.
  const [groupVersion, setGroupVersion] = useState(0);
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Runloom console</span>
        <nav aria-label="Main">
          <Link to="/">Workflows</Link>
          <Link to="/runs">Runs</Link>
          <Link to="/debugger">Debugger</Link>
          <a href="/docs" target="_blank" rel="noreferrer">
            API docs
          </a>
        </nav>
        <GroupPicker onChange={() => setGroupVersion((v) => v + 1)} />
        <button
          type="button"
          onClick={() => {
            credentials.signOut();
            setSignedIn(false);
          }}
        >
          Sign out
        </button>
      </header>
      <div id="content" key={groupVersion}>
        {route(path)}
      </div>
    </>
  );
}
