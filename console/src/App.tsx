import { useState } from 'react';
import { credentials } from './api';
import { GroupPicker } from './components/GroupPicker';
import { MainNav } from './components/MainNav';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { GroupsPage } from './pages/GroupsPage';
import { SchedulesPage } from './pages/SchedulesPage';
import { SecretsPage } from './pages/SecretsPage';
import { TriggersPage } from './pages/TriggersPage';
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
  if (path === '/schedules') return <SchedulesPage />;
  if (path === '/triggers') return <TriggersPage />;
  if (path === '/secrets') return <SecretsPage />;
  if (path === '/api-keys') return <ApiKeysPage />;
  if (path === '/groups') return <GroupsPage />;
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
        <MainNav path={path} />
        <GroupPicker onChange={() => setGroupVersion((v) => v + 1)} />
        <button
          type="button"
          className="sign-out"
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
