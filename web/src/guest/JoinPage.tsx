import { useState, type FormEvent } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { ApiError } from "../api/http";
import { join } from "../auth/guest";
import { useSession } from "../app/hooks";
import { useServices } from "../app/services";
import { ErrorNote, GlassIcon } from "../ui/components";

function joinError(error: unknown): unknown {
  if (error instanceof ApiError && error.code === "code_unusable") {
    return new Error("This invite can't be used any more (expired, used up or revoked). Ask the bartender for a new one.");
  }
  if (error instanceof ApiError && error.status === 401) {
    return new Error("This invite link is incomplete. Scan the QR code again.");
  }
  return error;
}

export function JoinPage() {
  const { guest, config } = useServices();
  const profile = useSession(guest);
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const code = params.get("code")?.trim() ?? "";
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [ended] = useState(() => guest.takeEnded());

  // Scanning the invite again while signed in must not spend another use of the code.
  if (profile) return <Navigate to="/" replace />;

  const trimmed = name.trim();
  // Counted as the server counts: characters (code points) of the NFC form.
  const length = [...trimmed.normalize("NFC")].length;
  const nameProblem = length > 0 && length < 2 ? "At least 2 characters." : length > 50 ? "At most 50 characters." : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (length < 2 || nameProblem) {
      setError(new Error("Tell us your name (2 to 50 characters)."));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await join(guest, config.api.identity, code, trimmed);
      navigate("/", { replace: true });
    } catch (caught) {
      setError(joinError(caught));
      setBusy(false);
    }
  };

  return (
    <main className="join" id="main">
      <div className="hero">
        <GlassIcon size={64} />
      </div>
      <h1>Welcome to the party</h1>
      {ended && (
        <p className="note" role="status">
          You were signed out by the bar. If you didn&apos;t expect this, ask the bartender.
        </p>
      )}
      {code ? (
        <form onSubmit={submit} noValidate>
          <p className="muted">Pick the name the bartender will call when your drink is ready.</p>
          <div className="field">
            <label htmlFor="username">Your name</label>
            <input
              id="username"
              autoComplete="nickname"
              maxLength={200}
              value={name}
              aria-invalid={nameProblem ? true : undefined}
              aria-describedby="username-hint"
              onChange={(e) => setName(e.target.value)}
            />
            <small id="username-hint">{nameProblem ?? "2 to 50 characters."}</small>
          </div>
          <ErrorNote error={error} />
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Joining…" : "Join"}
          </button>
        </form>
      ) : (
        <p>Scan the invite QR code at the bar to join. Ask the bartender if you don't have one.</p>
      )}
    </main>
  );
}
