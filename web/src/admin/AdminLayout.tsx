import type { ReactNode } from "react";
import { NavLink, Outlet } from "react-router";
import { hostedSignOutUrl } from "../auth/admin";
import { useConnectionState, useKeepFresh, useSession } from "../app/hooks";
import { useServices } from "../app/services";
import { ConnectionBadge } from "../ui/components";
import { SignInPage } from "./SignInPage";

const LINKS = [
  { to: "/admin", label: "Dashboard", end: true },
  { to: "/admin/orders", label: "Orders" },
  { to: "/admin/board", label: "Pickup board" },
  { to: "/admin/menu", label: "Menu" },
  { to: "/admin/codes", label: "Invite codes" },
  { to: "/admin/guests", label: "Guests" },
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
  if (!profile) return null;

  const signOut = () => {
    admin.signOut();
    if (config.auth.mode === "hosted") window.location.assign(hostedSignOutUrl(config.auth, window.location.origin));
  };

  return (
    <div className="admin-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="admin-bar no-print">
        <NavLink to="/admin" className="brand" end>
          <img src="/favicon.svg" alt="" /> <span className="brand-name">Barkeep</span>
        </NavLink>
        <nav aria-label="Admin">
          {LINKS.map((link) => (
            <NavLink key={link.to} to={link.to} end={link.end}>
              {link.label}
            </NavLink>
          ))}
        </nav>
        <ConnectionBadge state={connection} />
        <span className="muted who">{profile.email}</span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" className="admin-main">
        <Outlet />
      </main>
    </div>
  );
}
