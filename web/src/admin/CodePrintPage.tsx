import { useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { useKeepFresh, useResource, useSession } from "../app/hooks";
import { useServices } from "../app/services";
import type { RegistrationCode } from "../api/types";
import { ErrorNote, Loading, formatDateTime } from "../ui/components";
import { usesLeft } from "./codes";
import { SignInPage } from "./SignInPage";

// Outside AdminLayout on purpose: the sheet prints without the admin chrome.
export function CodePrintPage() {
  const { admin } = useServices();
  const profile = useSession(admin);
  useKeepFresh(admin);
  if (!profile) return <SignInPage />;
  return <PrintSheet />;
}

function PrintSheet() {
  const { api } = useServices();
  const { code = "" } = useParams();
  // There is no "get one code" endpoint; the list is small (one party's worth).
  const codes = useResource(() => api.identityAdmin.codes(), [api]);
  const found = codes.data?.find((candidate) => candidate.code === code);

  return (
    <>
      <div className="no-print print-bar">
        <Link to="/admin/codes">Back to invite codes</Link>
        <button type="button" className="primary" onClick={() => window.print()} disabled={!found}>
          Print
        </button>
      </div>
      <main id="main" className="print-sheet">
        <ErrorNote error={codes.error} onRetry={() => void codes.reload()} />
        {codes.loading && !codes.data && <Loading />}
        {codes.data && !found && (
          <p role="alert">
            There is no invite code <code>{code}</code>. It may have been mistyped.
          </p>
        )}
        {found && <Sheet code={found} />}
      </main>
    </>
  );
}

function Sheet({ code }: { code: RegistrationCode }) {
  const { config } = useServices();
  const qr = useQrImage(code.code);
  const certificatePage = config.party?.certificate_page;
  return (
    <>
      <h1>Scan to join the party</h1>
      <div className="qr">
        {qr.url ? (
          <img src={qr.url} alt="QR code to join the party" />
        ) : qr.error ? (
          <ErrorNote error={qr.error} />
        ) : (
          <Loading label="Drawing the QR code…" />
        )}
      </div>
      <p>Or open this link and enter your name:</p>
      <p>
        <a href={code.join_url}>{code.join_url}</a>
      </p>
      <p>
        Invite code
        <br />
        <code className="code-big">{code.code}</code>
      </p>
      {code.status !== "active" && (
        <p role="alert" className="print-warning">
          This code is {code.status.replace("_", " ")}: nobody can join with it.
        </p>
      )}
      {certificatePage && (
        // `make party` over HTTPS: without the party's certificate a phone gets a warning first
        <p className="party-certificate">
          First time on this Wi-Fi? Open <a href={certificatePage}>{certificatePage}</a> to trust
          this party's certificate, then scan the code.
        </p>
      )}
      <p>
        Valid until {formatDateTime(code.expires_at)} · {usesLeft(code)} of {code.max_uses} places left
      </p>
    </>
  );
}

/** The QR SVG (fetched with the admin's token) as an object URL an <img> can show. */
function useQrImage(code: string): { url: string | null; error: unknown } {
  const { api } = useServices();
  const [state, setState] = useState<{ url: string | null; error: unknown }>({ url: null, error: null });
  useEffect(() => {
    let url: string | null = null;
    let cancelled = false;
    setState({ url: null, error: null });
    api.identityAdmin.qrSvg(code).then(
      (svg) => {
        if (cancelled) return;
        // An <img> never runs scripts inside an SVG, unlike inlining the markup.
        url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
        setState({ url, error: null });
      },
      (error: unknown) => !cancelled && setState({ url: null, error }),
    );
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [api, code]);
  return state;
}
