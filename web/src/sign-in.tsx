import { useState } from "preact/hooks";
import type { Fleetplane } from "../../sdk";
import { describeProblem, signIn } from "./session";

/** Sign-in with a bearer token (an administrator's, or a tenant's for that tenant's view). */
export function SignIn({ onSignedIn }: { onSignedIn: (fp: Fleetplane) => void }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <main class="sign-in">
      <h1>Fleetplane</h1>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          try {
            onSignedIn(await signIn(token.trim()));
          } catch (err) {
            setError(describeProblem(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <label for="token">API token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          required
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
        />
        <p class="hint">An admin token, or a tenant's token to see only that tenant. It is kept for this tab only.</p>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {error && (
          <p role="alert" class="problem">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
