import type { ReactNode } from "react";
import { NavLink, Outlet } from "react-router";
import { hostedSignOutUrl } from "../auth/admin";
import { useConnectionState, useKeepFresh, useSession } from "../app/hooks";
import { useServices } from "../app/services";
import { ConnectionBadge } from "../ui/components";
import { useT, type Key } from "../i18n";
import { SignInPage } from "./SignInPage";

const LINKS: { to: string; label: `admin.link.${string}` & Key; end?: boolean }[] = [
  { to: "/admin", label: "admin.link.dashboard", end: true },
  { to: "/admin/orders", label: "admin.link.orders" },
  { to: "/admin/board", label: "admin.link.board" },
  { to: "/admin/menu", label: "admin.link.menu" },
  { to: "/admin/codes", label: "admin.link.codes" },
  { to: "/admin/guests", label: "admin.link.guests" },
];

/** Admin screens only for a signed-in admin, whose session is kept fresh meanwhile. */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const { admin } = useServices();
  const profile = useSession(admin);
  useKeepFresh(admin);
  return profile ? children : <SignInPage />;
}

export function AdminLayout() {
  return (
    <RequireAdmin>
      <AdminShell />
    </RequireAdmin>
  );
}

function AdminShell() {
  const { admin, realtime, config } = useServices();
  const profile = useSession(admin);
  const connection = useConnectionState(realtime);
  const { t } = useT();
  if (!profile) return null;

  const signOut = () => {
    admin.signOut();
    if (config.auth.mode === "hosted") window.location.assign(hostedSignOutUrl(config.auth, window.location.origin));
  };

  return (
    <div className="admin-shell">
      <a className="skip-link" href="#main">
        {t("common.skipToContent")}
      </a>
      <header className="admin-bar no-print">
        <NavLink to="/admin" className="brand" end>
          <img src="/favicon.svg" alt="" /> <span className="brand-name">{t("common.brand")}</span>
        </NavLink>
        <nav aria-label={t("admin.nav")}>
          {LINKS.map((link) => (
            <NavLink key={link.to} to={link.to} end={link.end}>
              {t(link.label)}
            </NavLink>
          ))}
        </nav>
        <ConnectionBadge state={connection} />
        <span className="muted who">{profile.email}</span>
        <button type="button" onClick={signOut}>
          {t("common.signOut")}
        </button>
      </header>
      <main id="main" className="admin-main">
        <Outlet />
      </main>
    </div>
  );
}
