import { useState, type FormEvent } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { ApiError } from "../api/http";
import { join } from "../auth/guest";
import { useSession } from "../app/hooks";
import { useServices } from "../app/services";
import { ErrorNote, GlassIcon } from "../ui/components";
import { codeProblem, normaliseCode } from "./inviteCode";

function joinError(error: unknown, typed: boolean): unknown {
  if (error instanceof ApiError && error.code === "code_unusable") {
    return new Error(
      typed
        ? "That invite code doesn't work: check it against the sheet. It may also have expired or been used up; the bartender can give you a new one."
        : "This invite can't be used any more (expired, used up or revoked). Ask the bartender for a new one.",
    );
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
  // From the QR code's link, or else typed by hand from the sheet.
  const linked = normaliseCode(params.get("code") ?? "");
  const [typedCode, setTypedCode] = useState("");
  const code = linked || typedCode;
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
    const badCode = codeProblem(code);
    if (badCode) {
      setError(new Error(badCode));
      return;
    }
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
      setError(joinError(caught, !linked));
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
      <form onSubmit={submit} noValidate>
        {linked ? (
          <p className="muted">Pick the name the bartender will call when your drink is ready.</p>
        ) : (
          <>
            <p className="muted">
              Scan the invite QR code at the bar, or type the code printed under it. Then pick the name the
              bartender will call when your drink is ready.
            </p>
            <div className="field">
              <label htmlFor="invite-code">Invite code</label>
              <input
                id="invite-code"
                className="code-input"
                autoComplete="off"
                autoCapitalize="none"
                autoCorrect="off"
                spellCheck={false}
                maxLength={200 /* room for a pasted join link; the code is read out of it */}
                value={typedCode}
                aria-describedby="invite-code-hint"
                onChange={(e) => setTypedCode(normaliseCode(e.target.value))}
              />
              <small id="invite-code-hint">Letters and digits, as on the sheet; spaces and capitals don&apos;t matter.</small>
            </div>
          </>
        )}
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
      {!linked && <p className="section muted">No invite? Ask the bartender for one.</p>}
    </main>
  );
}
