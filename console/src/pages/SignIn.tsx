import { useState, type FormEvent } from 'react';
import { ApiError, credentials, errorMessage, request } from '../api';
import { ErrorAlert } from '../components/common';

/** Asks for an API key, checks it against the API, and keeps it for this browser tab only. */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    credentials.signIn(key.trim());
    try {
      await request('GET', '/v1/workflows?page_size=1');
      onSignedIn();
    } catch (failure) {
      credentials.signOut();
      setError(
        failure instanceof ApiError && failure.status === 401
          ? 'This API key is not valid (unknown, revoked or expired).'
          : errorMessage(failure),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>Runloom console</h1>
      <form onSubmit={submit}>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          required
          value={key}
          onChange={(event) => setKey(event.target.value)}
          aria-describedby="api-key-help"
        />
        <p id="api-key-help" className="hint">
          Kept in this tab's session storage only and sent as the X-API-Key header; closing the tab forgets it.
        </p>
        <button type="submit" disabled={busy || !key.trim()}>
          Sign in
        </button>
        <ErrorAlert message={error} />
      </form>
    </main>
  );
}
