// The guest app's frame: the session (silently refreshed), the guest's orders kept live over
// `/orders/{user_key}`, the "ready" alerts wherever the guest is, and the tab bar.

import { createContext, useCallback, useContext, useEffect, useRef, useState } from "react";
import { Navigate, NavLink, Outlet } from "react-router";
import { ApiError } from "../api/http";
import type { Order } from "../api/types";
import { useConnectionState, useKeepFresh, useLiveOrders, useSession } from "../app/hooks";
import { useServices } from "../app/services";
import { ordersCacheKey } from "../app/cache";
import { enablePush } from "../app/push";
import { isRetryable, withRetries, type RetryOptions } from "../app/retry";
import { newestFirst, newlyReady, orderNumber, orderUrl, readyBanners } from "../orders/state";
import { bearerAuth } from "../realtime/client";
import { chime, notify, unlockAudioOnFirstGesture, vibrate } from "../ui/alerts";
import { LanguageSwitcher, translate, useT } from "../i18n";
import { ConnectionBadge, errorText } from "../ui/components";
import { refusalText } from "./bar";
import { dropPending, readPending, savePending, timeLeft, type PendingOrder } from "./pendingOrder";
import { useBar, type BarState } from "./useBar";

interface GuestOrders {
  orders: Order[] | undefined;
  /** false: only the most recent pages were read. */
  complete: boolean;
  error: unknown;
  reload: () => Promise<void>;
  /** Send an order tap until it is placed or refused (`options` as withRetries'). It is kept on
   * the phone meanwhile, so a reload sends it again with the same Idempotency-Key. */
  send: (pending: PendingOrder, options?: RetryOptions) => Promise<Order>;
  /** The tap was given up (its dialog closed): a reload must not send it. */
  discard: (key: string) => void;
  cancel: (orderId: string) => Promise<void>;
}

const GuestOrdersContext = createContext<GuestOrders | null>(null);

export function useGuestOrders(): GuestOrders {
  const value = useContext(GuestOrdersContext);
  if (!value) throw new Error("useGuestOrders outside GuestLayout");
  return value;
}

const BarContext = createContext<BarState>({ bar: undefined, refresh: async () => undefined });

/** The bar's state (open, last call, paused), kept fresh by the guest layout. */
export function useGuestBar(): BarState {
  return useContext(BarContext);
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
  const { t } = useT();

  useKeepFresh(guest);
  useEffect(() => unlockAudioOnFirstGesture(), []);
  // notifications already on: keep this browser's push subscription current (ADR 0036)
  useEffect(() => void enablePush(api.orders), [api, userKey]);

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
      for (const order of turned) {
        const number = orderNumber(order);
        // Read at the moment it fires: the language may have been switched since the render.
        const now = translate().t;
        void notify({
          title: number ? now("ready.titleNumbered", { number, drink: order.drink_name }) : now("ready.title", { drink: order.drink_name }),
          body: now("ready.body"),
          tag: order.id,
          url: orderUrl(order.id),
        });
      }
    },
  });
  const barState = useBar(api, connection);

  const send = useCallback(
    async (pending: PendingOrder, options: RetryOptions = {}) => {
      savePending(userKey, pending);
      try {
        const order = await withRetries(
          () => api.orders.place(pending.drink_id, pending.quantity, pending.notes, pending.key),
          options,
        );
        dropPending(userKey, pending.key);
        apply(order);
        return order;
      } catch (caught) {
        // An answer (a 4xx) is final; a bar still out of reach keeps it for the next load.
        if (!isRetryable(caught)) dropPending(userKey, pending.key);
        if (caught instanceof ApiError && caught.code === "ordering_paused") void barState.refresh();
        throw caught;
      }
    },
    [api, apply, userKey, barState.refresh],
  );
  const discard = useCallback((key: string) => dropPending(userKey, key), [userKey]);

  const cancel = useCallback(async (orderId: string) => apply(await api.orders.cancel(orderId)), [api, apply]);

  const readyCount = orders?.filter((o) => o.status === "ready").length ?? 0;

  return (
    <BarContext.Provider value={barState}>
    <GuestOrdersContext.Provider value={{ orders, complete, error, reload, send, discard, cancel }}>
      <a className="skip-link" href="#main">
        {t("common.skipToContent")}
      </a>
      <div className="guest-shell">
        <header className="topbar">
          <NavLink to="/" className="brand">
            <img src="/favicon.svg" alt="" /> {t("common.brand")}
          </NavLink>
          <span className="muted">
            <span className="visually-hidden">{t("guest.signedInAs")} </span>
            {username}
          </span>
          <ConnectionBadge state={connection} />
          <LanguageSwitcher compact />
        </header>
        {ready.map((order) => (
          <div key={order.id} className="ready-banner" role="alert">
            <span>
              {order.number != null && <span className="order-number">{orderNumber(order)}</span>}
              {t("ready.banner", { drink: order.drink_name })}
            </span>
            <button type="button" onClick={() => setReady((shown) => shown.filter((o) => o.id !== order.id))}>
              {t("common.gotIt")}
            </button>
          </div>
        ))}
        <ResumedOrder userKey={userKey} send={send} bar={barState.bar} />
        <main id="main">
          <Outlet />
        </main>
      </div>
      <nav className="tabbar" aria-label={t("guest.nav")}>
        <NavLink to="/" end>
          {t("guest.tab.menu")}
        </NavLink>
        <NavLink to="/orders">
          {t("guest.tab.orders")}
          {readyCount > 0 && (
            <span className="count">
              {readyCount}
              <span className="visually-hidden"> {t("guest.tab.ordersReady")}</span>
            </span>
          )}
        </NavLink>
        <NavLink to="/bartender">{t("guest.tab.bartender")}</NavLink>
      </nav>
    </GuestOrdersContext.Provider>
    </BarContext.Provider>
  );
}

type Resumed =
  | { step: "sending"; pending: PendingOrder; waiting: string | null }
  | { step: "placed"; pending: PendingOrder; order: Order }
  | { step: "failed"; pending: PendingOrder; why: string | null };

/** An order tap the page was reloaded (or closed) under: sent again on load with its own
 * Idempotency-Key until it is placed, refused, or too old to be wanted (PENDING_MAX_AGE_MS). */
function ResumedOrder({ userKey, send, bar }: { userKey: string; send: GuestOrders["send"]; bar: BarState["bar"] }) {
  const [resumed, setResumed] = useState<Resumed | null>(() => {
    const pending = readPending(userKey);
    return pending ? { step: "sending", pending, waiting: null } : null;
  });
  const tr = useT();
  const { t } = tr;
  const stopping = useRef<AbortController | null>(null);
  const pending = resumed?.step === "sending" ? resumed.pending : null;

  useEffect(() => {
    if (!pending) return;
    const stop = new AbortController();
    stopping.current = stop;
    let late = false;
    const expired = setTimeout(() => {
      late = true;
      stop.abort();
    }, timeLeft(pending));
    let gone = false;
    send(pending, {
      attempts: Number.POSITIVE_INFINITY, // until it is placed, refused, or too old
      signal: stop.signal,
      onRetry: (failure) => setResumed({ step: "sending", pending, waiting: errorText(failure, translate()) }),
    })
      .then((order) => !gone && setResumed({ step: "placed", pending, order }))
      .catch((caught) => {
        if (gone) return;
        if (stop.signal.aborted) {
          dropPending(userKey, pending.key); // given up, or too old to send
          setResumed(late ? { step: "failed", pending, why: null } : null); // null: too late
          return;
        }
        const why = caught instanceof ApiError ? refusalText(caught, pending.drink_name, bar, translate()) : errorText(caught, translate());
        setResumed({ step: "failed", pending, why });
      });
    return () => {
      gone = true;
      clearTimeout(expired);
      stop.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- sent once, for the order found on load
  }, [pending?.key]);

  if (!resumed) return null;
  const what = t("order.what", { quantity: resumed.pending.quantity, drink: resumed.pending.drink_name });
  const number = resumed.step === "placed" ? orderNumber(resumed.order) : "";
  return (
    <div className={`note ${resumed.step === "failed" ? "error" : resumed.step === "placed" ? "success" : ""}`} role="status">
      <span>
        {resumed.step === "sending" &&
          (resumed.waiting ? t("resumed.retrying", { why: resumed.waiting, what }) : t("resumed.sending", { what }))}
        {resumed.step === "placed" && (number ? t("resumed.placedNumbered", { what, number }) : t("resumed.placed", { what }))}
        {resumed.step === "failed" && t("resumed.failed", { what, why: resumed.why ?? t("resumed.tooLate") })}
      </span>{" "}
      {resumed.step === "sending" ? (
        <button type="button" className="link" onClick={() => stopping.current?.abort()}>
          {t("resumed.dontSend")}
        </button>
      ) : (
        <button type="button" className="link" onClick={() => setResumed(null)}>
          {t("common.gotIt")}
        </button>
      )}
    </div>
  );
}
