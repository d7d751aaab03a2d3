// The guest app's frame: the session (silently refreshed), the guest's orders kept live over
// `/orders/{user_key}`, the "ready" alerts wherever the guest is, and the tab bar.

import { createContext, useCallback, useContext, useEffect, useState } from "react";
import { Navigate, NavLink, Outlet } from "react-router";
import type { Order } from "../api/types";
import { useConnectionState, useKeepFresh, useLiveOrders, useSession } from "../app/hooks";
import { useServices } from "../app/services";
import { ordersCacheKey } from "../app/cache";
import { newestFirst, newlyReady, readyBanners } from "../orders/state";
import { bearerAuth } from "../realtime/client";
import { chime, notify, unlockAudioOnFirstGesture, vibrate } from "../ui/alerts";
import { ConnectionBadge } from "../ui/components";

interface GuestOrders {
  orders: Order[] | undefined;
  /** false: only the most recent pages were read. */
  complete: boolean;
  error: unknown;
  reload: () => Promise<void>;
  place: (drinkId: string, quantity: number, notes: string, idempotencyKey: string) => Promise<Order>;
  cancel: (orderId: string) => Promise<void>;
}

const GuestOrdersContext = createContext<GuestOrders | null>(null);

export function useGuestOrders(): GuestOrders {
  const value = useContext(GuestOrdersContext);
  if (!value) throw new Error("useGuestOrders outside GuestLayout");
  return value;
}

export function GuestLayout() {
  const { guest } = useServices();
  const profile = useSession(guest);
  if (!profile) return <Navigate to="/join" replace />;
  return <SignedInGuest userKey={profile.user_key} username={profile.username} />;
}

function SignedInGuest({ userKey, username }: { userKey: string; username: string }) {
  const { api, guest, realtime } = useServices();
  const connection = useConnectionState(realtime);
  const [ready, setReady] = useState<Order[]>([]);

  useKeepFresh(guest);
  useEffect(() => unlockAudioOnFirstGesture(), []);

  const { orders, complete, error, reload, apply } = useLiveOrders({
    realtime,
    channel: `/orders/${userKey}`,
    authorization: bearerAuth(guest),
    load: api.orders.mine,
    sort: newestFirst,
    cacheKey: ordersCacheKey(userKey), // offline, the list is still there after a reload
    onChange: (before, after) => {
      // Also after a re-read: a drink that became ready while the phone was offline.
      const turned = before ? newlyReady(before, after) : [];
      // A banner goes once its drink is served (or the bar took it back).
      setReady((shown) => readyBanners(shown, after, turned));
      if (turned.length === 0) return;
      chime("ready");
      vibrate();
      for (const order of turned) notify(`Your ${order.drink_name} is ready`, "Pick it up at the bar.", order.id);
    },
  });

  const place = useCallback(
    async (drinkId: string, quantity: number, notes: string, key: string) => {
      const order = await api.orders.place(drinkId, quantity, notes, key);
      apply(order);
      return order;
    },
    [api, apply],
  );

  const cancel = useCallback(async (orderId: string) => apply(await api.orders.cancel(orderId)), [api, apply]);

  const readyCount = orders?.filter((o) => o.status === "ready").length ?? 0;

  return (
    <GuestOrdersContext.Provider value={{ orders, complete, error, reload, place, cancel }}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="guest-shell">
        <header className="topbar">
          <NavLink to="/" className="brand">
            <img src="/favicon.svg" alt="" /> Barkeep
          </NavLink>
          <span className="muted">
            <span className="visually-hidden">Signed in as </span>
            {username}
          </span>
          <ConnectionBadge state={connection} />
        </header>
        {ready.map((order) => (
          <div key={order.id} className="ready-banner" role="alert">
            <span>
              Your {order.drink_name} is ready! Pick it up at the bar.
            </span>
            <button type="button" onClick={() => setReady((shown) => shown.filter((o) => o.id !== order.id))}>
              Got it
            </button>
          </div>
        ))}
        <main id="main">
          <Outlet />
        </main>
      </div>
      <nav className="tabbar" aria-label="Guest">
        <NavLink to="/" end>
          Menu
        </NavLink>
        <NavLink to="/orders">
          My orders
          {readyCount > 0 && (
            <span className="count">
              {readyCount}
              <span className="visually-hidden"> ready</span>
            </span>
          )}
        </NavLink>
        <NavLink to="/bartender">Bartender</NavLink>
      </nav>
    </GuestOrdersContext.Provider>
  );
}
