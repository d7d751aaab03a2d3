import { useEffect, useState } from "react";
import { Link, useLocation } from "react-router";
import type { Order, OrderStatus } from "../api/types";
import { useServices } from "../app/services";
import { disablePush, enablePush } from "../app/push";
import { leave } from "../auth/guest";
import { orderAnchor, orderNumber } from "../orders/state";
import { notificationsAvailable } from "../ui/alerts";
import { useT } from "../i18n";
import { ConfirmDialog, ErrorNote, Loading, StatusPill } from "../ui/components";
import { useGuestOrders } from "./GuestLayout";

const STEPS = ["pending", "preparing", "ready", "served"] as const satisfies OrderStatus[];

function NotificationOptIn() {
  const { api } = useServices();
  const { t } = useT();
  const [permission, setPermission] = useState(() => (notificationsAvailable() ? Notification.permission : "denied"));
  if (permission === "granted") return null;
  // No notifications here (plain HTTP on a party's LAN, an old browser) or turned down: say
  // what still tells the guest, rather than promise a ping that will not come (ADR 0035).
  if (permission !== "default") return <p className="muted">{t("orders.keepOpen")}</p>;
  const turnOn = async () => {
    const answer = await Notification.requestPermission();
    setPermission(answer);
    if (answer === "granted") await enablePush(api.orders); // and with the phone locked (ADR 0036)
  };
  return (
    <div className="card">
      <p>{t("orders.notifyPitch")}</p>
      <button type="button" onClick={() => void turnOn()}>
        {t("orders.notifyOn")}
      </button>
    </div>
  );
}

function OrderCard({ order, onCancel }: { order: Order; onCancel: (order: Order) => void }) {
  const { t, format } = useT();
  const reached = STEPS.findIndex((s) => s === order.status);
  return (
    <li
      id={orderAnchor(order.id)}
      className={`order-card ${order.status === "ready" ? "is-ready" : ""}`}
      aria-label={t("orders.cardLabel", { drink: order.drink_name, status: t(`status.${order.status}`) })}>
      <header>
        <h2>
          {order.number != null && <span className="order-number">{orderNumber(order)}</span>}
          {order.quantity > 1 ? `${order.quantity} × ` : ""}
          {order.drink_name}
        </h2>
        <StatusPill status={order.status} />
      </header>
      <p className="muted">
        {t("orders.orderedAt", { message: t(`orders.message.${order.status}`), time: format.time(order.created_at) })}
      </p>
      {order.status !== "cancelled" && (
        <ol className="track" aria-label={t("orders.progress")}>
          {STEPS.map((step, i) => (
            <li key={step} className={i <= reached ? "done" : ""} aria-current={i === reached ? "step" : undefined}>
              {t(`orders.step.${step}`)}
            </li>
          ))}
        </ol>
      )}
      {order.notes && <p className="muted">“{order.notes}”</p>}
      {order.status === "pending" && (
        <button type="button" className="danger" onClick={() => onCancel(order)}>
          {t("common.cancel")}
        </button>
      )}
    </li>
  );
}

const WHERE = { pending: "orders.where.pending", preparing: "orders.where.preparing", ready: "orders.where.ready" } as const;

/** What signing out costs, said before it happens (ADR 0031): leaving revokes this guest's
 * tokens, and joining again makes a new guest, who can see none of these orders. */
function SignOutMessage({ open, username }: { open: Order[]; username: string }) {
  const { t, rich } = useT();
  if (open.length === 0) return <p>{t("signOut.nothingOpen")}</p>;
  const count = open.length;
  return (
    <>
      <p>{t("signOut.stillMakes", { count })}</p>
      <ul>
        {open.map((order) => (
          <li key={order.id}>
            {t("signOut.openLine", {
              what: order.quantity > 1 ? t("order.what", { quantity: order.quantity, drink: order.drink_name }) : order.drink_name,
              where: order.status in WHERE ? t(WHERE[order.status as keyof typeof WHERE]) : t(`status.${order.status}`),
            })}
          </li>
        ))}
      </ul>
      <p>{rich("signOut.notTold", { count, name: <strong>{username}</strong> })}</p>
    </>
  );
}

function LeaveParty({ open }: { open: Order[] }) {
  const { api, guest, config } = useServices();
  const [asking, setAsking] = useState(false);
  const { t } = useT();
  const username = guest.profile?.username ?? "";
  return (
    <>
      <p className="section muted">
        {t("orders.notYou")}{" "}
        <button type="button" className="link" onClick={() => setAsking(true)}>
          {t("common.signOut")}
        </button>
      </p>
      {asking && (
        <ConfirmDialog
          title={open.length === 0 ? t("signOut.title") : t("signOut.titleOpen", { count: open.length })}
          message={<SignOutMessage open={open} username={username} />}
          confirmLabel={open.length === 0 ? t("common.signOut") : t("signOut.anyway")}
          cancelLabel={t("signOut.stay")}
          onConfirm={async () => {
            await disablePush(api.orders); // while the guest's token still works
            await leave(guest, config.api.identity);
          }}
          onCancel={() => setAsking(false)}
        />
      )}
    </>
  );
}

export function OrdersPage() {
  const { orders, complete, error, reload, cancel } = useGuestOrders();
  const [cancelling, setCancelling] = useState<Order | null>(null);
  const { t, rich } = useT();

  const confirmCancel = async (order: Order) => {
    try {
      await cancel(order.id);
    } catch (caught) {
      void reload(); // e.g. the bartender started it a moment ago: show where it is now
      throw caught;
    }
    setCancelling(null);
  };

  // A tapped notification opens /orders#order-<id>: bring that card into view once it is there.
  const { hash } = useLocation();
  const listed = orders !== undefined;
  useEffect(() => {
    if (!hash || !listed) return;
    document.getElementById(decodeURIComponent(hash.slice(1)))?.scrollIntoView?.({ block: "center" });
  }, [hash, listed]);

  const open = orders?.filter((o) => o.status !== "served" && o.status !== "cancelled") ?? [];
  const done = orders?.filter((o) => o.status === "served" || o.status === "cancelled") ?? [];

  return (
    <>
      <h1>{t("orders.title")}</h1>
      <NotificationOptIn />
      <ErrorNote error={error} onRetry={() => void reload()} />
      {!orders && !error && <Loading label={t("orders.loading")} />}
      {orders && orders.length === 0 && (
        <p>{rich("orders.none", { link: <Link to="/">{t("orders.noneLink")}</Link> })}</p>
      )}
      {open.length > 0 && (
        <ul className="order-list" aria-label={t("orders.open")}>
          {open.map((order) => (
            <OrderCard key={order.id} order={order} onCancel={setCancelling} />
          ))}
        </ul>
      )}
      {done.length > 0 && (
        <>
          <h2 className="section">{t("orders.earlier")}</h2>
          <ul className="order-list" aria-label={t("orders.earlierList")}>
            {done.map((order) => (
              <OrderCard key={order.id} order={order} onCancel={setCancelling} />
            ))}
          </ul>
          {!complete && <p className="muted">{t("orders.mostRecent", { count: orders?.length ?? 0 })}</p>}
        </>
      )}
      <LeaveParty open={open} />
      {cancelling && (
        <ConfirmDialog
          title={t("orders.cancelTitle")}
          message={<p>{t("orders.cancelMessage", { drink: cancelling.drink_name })}</p>}
          confirmLabel={t("orders.cancelConfirm")}
          onConfirm={() => confirmCancel(cancelling)}
          onCancel={() => setCancelling(null)}
        />
      )}
    </>
  );
}
