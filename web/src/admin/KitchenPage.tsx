// The kitchen display: open orders in columns by status, oldest first, with how long each guest
// has waited; every open display follows `/admin/orders`, so two bartenders see the same board.
// The queue is read page by page to its end; "End of night" closes out what is left open.

import { useEffect, useState } from "react";
import { MAX_PAGES } from "../api/pages";
import type { Order, OrderStatus } from "../api/types";
import { useLater, useLiveOrders, useNow } from "../app/hooks";
import { useServices } from "../app/services";
import {
  DEFAULT_THRESHOLDS,
  QUEUE_COLUMNS,
  formatElapsed,
  nextActions,
  oldestFirst,
  orderOf,
  waitLevel,
  type WaitThresholds,
} from "../orders/state";
import { bearerAuth } from "../realtime/client";
import { chime, unlockAudioOnFirstGesture } from "../ui/alerts";
import { ConfirmDialog, ErrorNote, Loading, errorText } from "../ui/components";

const THRESHOLDS_KEY = "barkeep.kitchen.thresholds";
const HIGHLIGHT_MS = 4_000;
const OPEN = new Set<OrderStatus>(["pending", "preparing", "ready"]);

function without(ids: Set<string>, id: string): Set<string> {
  const next = new Set(ids);
  next.delete(id);
  return next;
}

function loadThresholds(): WaitThresholds {
  try {
    const saved = JSON.parse(localStorage.getItem(THRESHOLDS_KEY) ?? "null") as WaitThresholds | null;
    if (saved && saved.warnMinutes > 0 && saved.lateMinutes > saved.warnMinutes) return saved;
  } catch {
    // fall back to the defaults
  }
  return DEFAULT_THRESHOLDS;
}

export function KitchenPage() {
  const { api, admin, realtime } = useServices();
  const [notice, setNotice] = useState<string | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState<Order | null>(null);
  const [closingOut, setClosingOut] = useState(false);
  const [closedOut, setClosedOut] = useState<string | null>(null);
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [thresholds, setThresholds] = useState(loadThresholds);
  const now = useNow(1000);
  const later = useLater();

  useEffect(() => unlockAudioOnFirstGesture(), []);

  const { orders, complete, error, reload, apply } = useLiveOrders({
    realtime,
    channel: "/admin/orders",
    authorization: bearerAuth(admin),
    load: api.ordersAdmin.queue,
    sort: oldestFirst,
    onChange: (before, _after, event) => {
      const order = event && orderOf(event);
      if (event?.type !== "ORDER_CREATED" || !order || before?.some((o) => o.id === order.id)) return;
      setFresh((ids) => new Set(ids).add(order.id));
      later(() => setFresh((ids) => without(ids, order.id)), HIGHLIGHT_MS);
      chime("new-order");
    },
  });
  // Served and cancelled versions stay in the list (so a late event can't bring an order
  // back), but only open ones are shown.
  const open = orders?.filter((o) => OPEN.has(o.status));

  const move = async (order: Order, to: OrderStatus) => {
    setBusy((ids) => new Set(ids).add(order.id));
    try {
      apply(await api.ordersAdmin.move(order.id, to));
      setNotice(null);
    } catch (caught) {
      // Usually another display got there first: say so and show the board as it is now.
      setNotice(`${order.drink_name} for ${order.username}: ${errorText(caught)}`);
      void reload();
    } finally {
      setBusy((ids) => without(ids, order.id));
    }
  };

  // Errors stay in the dialog (ConfirmDialog shows them); the result is said on the page.
  const closeOut = async () => {
    const result = await api.ordersAdmin.closeOut();
    setClosingOut(false);
    const closed = `Closed out ${result.closed} ${result.closed === 1 ? "order" : "orders"}.`;
    setClosedOut(result.complete ? closed : `${closed} More are still open: close out again.`);
    void reload();
  };

  const saveThresholds = (next: WaitThresholds) => {
    setThresholds(next);
    if (next.warnMinutes > 0 && next.lateMinutes > next.warnMinutes) {
      localStorage.setItem(THRESHOLDS_KEY, JSON.stringify(next));
    }
  };

  return (
    <>
      <div className="page-head">
        <h1>Orders</h1>
        <details>
          <summary>Wait colours</summary>
          <div className="row">
            <div className="field">
              <label htmlFor="warn-minutes">Amber after (minutes)</label>
              <input
                id="warn-minutes"
                type="number"
                min={1}
                value={thresholds.warnMinutes}
                onChange={(e) => saveThresholds({ ...thresholds, warnMinutes: Number(e.target.value) })}
              />
            </div>
            <div className="field">
              <label htmlFor="late-minutes">Red after (minutes)</label>
              <input
                id="late-minutes"
                type="number"
                min={2}
                value={thresholds.lateMinutes}
                onChange={(e) => saveThresholds({ ...thresholds, lateMinutes: Number(e.target.value) })}
              />
            </div>
          </div>
        </details>
        <button type="button" className="danger" onClick={() => setClosingOut(true)}>
          End of night: close out
        </button>
      </div>
      {closedOut && (
        <p className="note success" role="status">
          {closedOut}
        </p>
      )}
      {open && !complete && (
        <p className="note error" role="alert">
          The queue is longer than this display reads ({MAX_PAGES} pages): only the oldest {orders?.length} orders
          are shown. Close out earlier nights' orders to see the rest.
        </p>
      )}
      {notice && (
        <p className="note error" role="alert">
          {notice}
        </p>
      )}
      <ErrorNote error={error} onRetry={() => void reload()} />
      {!open && !error && <Loading label="Loading the queue…" />}
      {open && (
        <div className="kitchen">
          {QUEUE_COLUMNS.map((column) => {
            const inColumn = open.filter((o) => o.status === column.status);
            return (
              <section key={column.status} className="column" aria-labelledby={`column-${column.status}`}>
                <h2 id={`column-${column.status}`}>
                  {column.title} <span className="muted">{inColumn.length}</span>
                </h2>
                {inColumn.length === 0 && <p className="muted">Nothing here.</p>}
                {inColumn.map((order) => (
                  <Ticket
                    key={order.id}
                    order={order}
                    now={now}
                    level={waitLevel(order.created_at, now, thresholds)}
                    isNew={fresh.has(order.id)}
                    busy={busy.has(order.id)}
                    onMove={(to) => (to === "cancelled" ? setConfirming(order) : void move(order, to))}
                  />
                ))}
              </section>
            );
          })}
        </div>
      )}
      {confirming && (
        <ConfirmDialog
          title="Cancel this order?"
          message={
            <p>
              {confirming.quantity} × {confirming.drink_name} for {confirming.username} will be cancelled, and the guest
              will see it at once.
            </p>
          }
          confirmLabel="Cancel order"
          onConfirm={() => {
            const order = confirming;
            setConfirming(null);
            void move(order, "cancelled");
          }}
          onCancel={() => setConfirming(null)}
        />
      )}
      {closingOut && (
        <ConfirmDialog
          title="Close out the night?"
          message={
            <p>
              Every open order ends now: new and preparing ones are cancelled, ready ones are marked served. Guests
              see it at once.
            </p>
          }
          confirmLabel="Close out"
          onConfirm={closeOut}
          onCancel={() => setClosingOut(false)}
        />
      )}
    </>
  );
}

function Ticket({
  order,
  now,
  level,
  isNew,
  busy,
  onMove,
}: {
  order: Order;
  now: number;
  level: "ok" | "warn" | "late";
  isNew: boolean;
  busy: boolean;
  onMove: (to: OrderStatus) => void;
}) {
  const elapsed = formatElapsed(now - Date.parse(order.created_at));
  return (
    <article
      className={`ticket wait-${level} ${isNew ? "is-new" : ""}`}
      aria-label={`${order.quantity} × ${order.drink_name} for ${order.username}, waiting ${elapsed}`}
    >
      <div className="meta">
        <bdi>{order.username}</bdi>
        <span className="elapsed" title={level === "late" ? "Waiting long" : undefined}>
          {elapsed}
        </span>
      </div>
      <h3>
        {order.quantity > 1 ? `${order.quantity} × ` : ""}
        <bdi>{order.drink_name}</bdi>
      </h3>
      {order.notes && (
        <p className="notes">
          “<bdi>{order.notes}</bdi>”
        </p>
      )}
      <div className="actions">
        {nextActions(order.status).map((action) => (
          <button
            key={action.to}
            type="button"
            className={action.to === "cancelled" ? "danger" : "primary"}
            disabled={busy}
            onClick={() => onMove(action.to)}
          >
            {action.label}
          </button>
        ))}
      </div>
    </article>
  );
}
