import { useState, type FormEvent } from "react";
import { hostedSignInUrl, signInWithPassword } from "../auth/admin";
import { useServices } from "../app/services";
import { LanguageSwitcher, useT } from "../i18n";
import { ErrorNote } from "../ui/components";

export function SignInPage() {
  const { admin, config } = useServices();
  const { t } = useT();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signInWithPassword(admin, config.auth, email.trim(), password);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  const hosted = async () => {
    setBusy(true);
    window.location.assign(await hostedSignInUrl(config.auth, window.location.origin, window.location.pathname));
  };

  return (
    <main className="join" id="main">
      <div className="join-language">
        <LanguageSwitcher />
      </div>
      <h1>{t("signIn.title")}</h1>
      {config.auth.mode === "hosted" ? (
        <>
          <p className="muted">{t("signIn.hosted")}</p>
          <button type="button" className="primary" onClick={hosted} disabled={busy}>
            {t("signIn.signIn")}
          </button>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="email">{t("signIn.email")}</label>
            <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="password">{t("signIn.password")}</label>
            <input
              id="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          <ErrorNote error={error} />
          <button type="submit" className="primary" disabled={busy || !email || !password}>
            {busy ? t("signIn.signingIn") : t("signIn.signIn")}
          </button>
        </form>
      )}
    </main>
  );
}
