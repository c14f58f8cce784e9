import { useState } from 'react';
import { ApiError } from '../api';

export function SignIn({ onSignIn }: { onSignIn(key: string): Promise<void> }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <main className="sign-in">
      <h1>Herald Console</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          onSignIn(key.trim())
            .catch((err: unknown) =>
              setError(
                err instanceof ApiError && err.code === 'UNAUTHENTICATED'
                  ? 'Herald does not know this key (or it was revoked).'
                  : String(err instanceof Error ? err.message : err),
              ),
            )
            .finally(() => setBusy(false));
        }}
      >
        <label>
          API key
          <input
            name="apiKey"
            type="password"
            autoComplete="off"
            required
            value={key}
            onChange={(event) => setKey(event.target.value)}
            placeholder="hk_…"
          />
        </label>
        <button type="submit" disabled={busy || key.trim() === ''}>
          Sign in
        </button>
        {error && <p className="error">{error}</p>}
        <p className="hint">
          The key is kept for this browser tab only and sent to this Herald alone. What you see follows its scopes.
        </p>
      </form>
    </main>
  );
}
