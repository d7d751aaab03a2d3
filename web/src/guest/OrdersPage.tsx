import { useEffect, useState } from "react";
import { Link, useLocation } from "react-router";
import type { Order, OrderStatus } from "../api/types";
import { useServices } from "../app/services";
import { disablePush, enablePush } from "../app/push";
import { leave } from "../auth/guest";
import { orderAnchor, orderNumber } from "../orders/state";
import { notificationsAvailable } from "../ui/alerts";
import { ConfirmDialog, ErrorNote, Loading, StatusPill, formatTime } from "../ui/components";
import { useGuestOrders } from "./GuestLayout";

const STEPS: { status: OrderStatus; label: string }[] = [
  { status: "pending", label: "Ordered" },
  { status: "preparing", label: "Preparing" },
  { status: "ready", label: "Ready" },
  { status: "served", label: "Served" },
];

const MESSAGES: Record<OrderStatus, string> = {
  pending: "Waiting for the bartender",
  preparing: "Being made now",
  ready: "Ready! Pick it up at the bar",
  served: "Enjoy!",
  cancelled: "Cancelled",
};

function NotificationOptIn() {
  const { api } = useServices();
  const [permission, setPermission] = useState(() => (notificationsAvailable() ? Notification.permission : "denied"));
  if (permission !== "default") return null;
  const turnOn = async () => {
    const answer = await Notification.requestPermission();
    setPermission(answer);
    if (answer === "granted") await enablePush(api.orders); // and with the phone locked (ADR 0036)
  };
  return (
    <div className="card">
      <p>Get a notification when your drink is ready, even with the app in the background.</p>
      <button type="button" onClick={() => void turnOn()}>
        Turn on notifications
      </button>
    </div>
  );
}

function OrderCard({ order, onCancel }: { order: Order; onCancel: (order: Order) => void }) {
  const reached = STEPS.findIndex((s) => s.status === order.status);
  return (
    <li
      id={orderAnchor(order.id)}
      className={`order-card ${order.status === "ready" ? "is-ready" : ""}`}
      aria-label={`${order.drink_name}: ${order.status}`}>
      <header>
        <h2>
          {order.number != null && <span className="order-number">{orderNumber(order)}</span>}
          {order.quantity > 1 ? `${order.quantity} × ` : ""}
          {order.drink_name}
        </h2>
        <StatusPill status={order.status} />
      </header>
      <p className="muted">
        {MESSAGES[order.status]} · ordered {formatTime(order.created_at)}
      </p>
      {order.status !== "cancelled" && (
        <ol className="track" aria-label="Progress">
          {STEPS.map((step, i) => (
            <li key={step.status} className={i <= reached ? "done" : ""} aria-current={i === reached ? "step" : undefined}>
              {step.label}
            </li>
          ))}
        </ol>
      )}
      {order.notes && <p className="muted">“{order.notes}”</p>}
      {order.status === "pending" && (
        <button type="button" className="danger" onClick={() => onCancel(order)}>
          Cancel
        </button>
      )}
    </li>
  );
}

const WHERE: Partial<Record<OrderStatus, string>> = {
  pending: "waiting for the bartender",
  preparing: "being made",
  ready: "ready at the bar",
};

/** What signing out costs, said before it happens (ADR 0031): leaving revokes this guest's
 * tokens, and joining again makes a new guest, who can see none of these orders. */
function signOutMessage(open: Order[], username: string) {
  if (open.length === 0) {
    return (
      <p>
        You'll need an invite code to join again, and you'll join as a new guest: this phone won't show your
        earlier orders any more.
      </p>
    );
  }
  return (
    <>
      <p>
        The bar still makes {open.length === 1 ? "your open order" : `your ${open.length} open orders`}, but this
        phone stops following {open.length === 1 ? "it" : "them"}:
      </p>
      <ul>
        {open.map((order) => (
          <li key={order.id}>
            {order.quantity > 1 ? `${order.quantity} × ` : ""}
            {order.drink_name} — {WHERE[order.status] ?? order.status}
          </li>
        ))}
      </ul>
      <p>
        You won't be told when {open.length === 1 ? "it is" : "they are"} ready, and joining again makes you a new
        guest who can't see {open.length === 1 ? "it" : "them"}. Pick {open.length === 1 ? "it" : "them"} up at the
        bar as <strong>{username}</strong>.
      </p>
    </>
  );
}

function LeaveParty({ open }: { open: Order[] }) {
  const { api, guest, config } = useServices();
  const [asking, setAsking] = useState(false);
  const username = guest.profile?.username ?? "";
  return (
    <>
      <p className="section muted">
        Not you?{" "}
        <button type="button" className="link" onClick={() => setAsking(true)}>
          Sign out
        </button>
      </p>
      {asking && (
        <ConfirmDialog
          title={open.length === 0 ? "Sign out?" : `Sign out with ${open.length === 1 ? "an open order" : `${open.length} open orders`}?`}
          message={signOutMessage(open, username)}
          confirmLabel={open.length === 0 ? "Sign out" : "Sign out anyway"}
          cancelLabel="Stay signed in"
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
      <h1>My orders</h1>
      <NotificationOptIn />
      <ErrorNote error={error} onRetry={() => void reload()} />
      {!orders && !error && <Loading label="Loading your orders…" />}
      {orders && orders.length === 0 && (
        <p>
          Nothing ordered yet. <Link to="/">Have a look at the menu</Link>.
        </p>
      )}
      {open.length > 0 && (
        <ul className="order-list" aria-label="Open orders">
          {open.map((order) => (
            <OrderCard key={order.id} order={order} onCancel={setCancelling} />
          ))}
        </ul>
      )}
      {done.length > 0 && (
        <>
          <h2 className="section">Earlier</h2>
          <ul className="order-list" aria-label="Earlier orders">
            {done.map((order) => (
              <OrderCard key={order.id} order={order} onCancel={setCancelling} />
            ))}
          </ul>
          {!complete && <p className="muted">Your {orders?.length} most recent orders are shown.</p>}
        </>
      )}
      <LeaveParty open={open} />
      {cancelling && (
        <ConfirmDialog
          title="Cancel this order?"
          message={<p>Your {cancelling.drink_name} won't be made.</p>}
          confirmLabel="Cancel order"
          onConfirm={() => confirmCancel(cancelling)}
          onCancel={() => setCancelling(null)}
        />
      )}
    </>
  );
}
