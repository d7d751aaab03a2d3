import { useState, type FormEvent } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { ApiError } from "../api/http";
import { join } from "../auth/guest";
import { useSession } from "../app/hooks";
import { useServices } from "../app/services";
import { LanguageSwitcher, useT, type Translator } from "../i18n";
import { ErrorNote, GlassIcon } from "../ui/components";
import { codeProblem, normaliseCode } from "./inviteCode";

function joinError(error: unknown, typed: boolean, { t }: Translator): unknown {
  if (error instanceof ApiError && error.code === "code_unusable") {
    return new Error(typed ? t("join.codeUnusableTyped") : t("join.codeUnusableLinked"));
  }
  if (error instanceof ApiError && error.status === 401) {
    return new Error(t("join.linkIncomplete"));
  }
  return error;
}

export function JoinPage() {
  const { guest, config } = useServices();
  const tr = useT();
  const { t } = tr;
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
  const nameProblem = length > 0 && length < 2 ? t("join.nameTooShort") : length > 50 ? t("join.nameTooLong") : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const badCode = codeProblem(code, tr);
    if (badCode) {
      setError(new Error(badCode));
      return;
    }
    if (length < 2 || nameProblem) {
      setError(new Error(t("join.nameMissing")));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await join(guest, config.api.identity, code, trimmed);
      navigate("/", { replace: true });
    } catch (caught) {
      setError(joinError(caught, !linked, tr));
      setBusy(false);
    }
  };

  return (
    <main className="join" id="main">
      <div className="join-language">
        <LanguageSwitcher />
      </div>
      <div className="hero">
        <GlassIcon size={64} />
      </div>
      <h1>{t("join.title")}</h1>
      {ended && (
        <p className="note" role="status">
          {t("join.signedOutByBar")}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        {linked ? (
          <p className="muted">{t("join.pickName")}</p>
        ) : (
          <>
            <p className="muted">{t("join.scanOrType")}</p>
            <div className="field">
              <label htmlFor="invite-code">{t("join.code")}</label>
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
              <small id="invite-code-hint">{t("join.codeHint")}</small>
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor="username">{t("join.name")}</label>
          <input
            id="username"
            autoComplete="nickname"
            maxLength={200}
            value={name}
            aria-invalid={nameProblem ? true : undefined}
            aria-describedby="username-hint"
            onChange={(e) => setName(e.target.value)}
          />
          <small id="username-hint">{nameProblem ?? t("join.nameHint")}</small>
        </div>
        <ErrorNote error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("join.joining") : t("join.join")}
        </button>
      </form>
      {!linked && <p className="section muted">{t("join.noInvite")}</p>}
    </main>
  );
}
