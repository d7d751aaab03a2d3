import { useEffect, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { completeHostedSignIn } from "../auth/admin";
import { useServices } from "../app/services";
import { ErrorNote, Loading } from "../ui/components";

/** Cognito managed login sends the browser back here with `?code&state`. */
export function HostedCallbackPage() {
  const { admin, config } = useServices();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return; // the code is single-use; StrictMode runs effects twice
    started.current = true;
    completeHostedSignIn(admin, config.auth, window.location.origin, window.location.search).then(
      (returnTo) => navigate(returnTo, { replace: true }),
      setError,
    );
  }, [admin, config, navigate]);

  return (
    <main className="join" id="main">
      <h1>Signing in…</h1>
      {error ? (
        <>
          <ErrorNote error={error} />
          <Link to="/admin">Back to sign-in</Link>
        </>
      ) : (
        <Loading label="Finishing sign-in…" />
      )}
    </main>
  );
}
