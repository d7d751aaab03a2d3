// One column of the kitchen display: its header and count stay put while its tickets scroll,
// and a pill says when new tickets landed below what is in view.

import { useCallback, useLayoutEffect, useRef, useState } from "react";
import type { Order, OrderStatus } from "../api/types";
import { useT } from "../i18n";
import { orderNumber } from "../orders/state";
import {
  COMPACT_FROM,
  formatElapsed,
  splitSeen,
  stageClock,
  ticketActions,
  type Column,
  type WaitColours,
} from "./kitchen";

export function KitchenColumn({
  status,
  title,
  orders,
  selectedId,
  now,
  colours,
  fresh,
  arrivals,
  busy,
  onSeen,
  onSelect,
  onMove,
}: {
  status: Column;
  title: string;
  orders: Order[];
  selectedId: string | null;
  now: number;
  colours: WaitColours;
  fresh: ReadonlySet<string>;
  /** New tickets the bartender has not had in view yet. */
  arrivals: ReadonlySet<string>;
  busy: ReadonlySet<string>;
  onSeen: (ids: string[]) => void;
  onSelect: (order: Order, index: number) => void;
  onMove: (order: Order, to: OrderStatus) => void;
}) {
  const { t } = useT();
  const body = useRef<HTMLDivElement>(null);
  const [below, setBelow] = useState(0);
  const drinks = orders.reduce((sum, o) => sum + o.quantity, 0);
  const compact = orders.length >= COMPACT_FROM;

  const look = useCallback(() => {
    const box = body.current;
    if (!box) return;
    const fresh = orders
      .filter((o) => arrivals.has(o.id))
      .map((o) => box.querySelector<HTMLElement>(`[data-order="${o.id}"]`))
      .filter((el): el is HTMLElement => el !== null)
      .map((el) => ({ id: el.dataset.order!, top: el.offsetTop, height: el.offsetHeight }));
    const { seen, below } = splitSeen(fresh, box.scrollTop, box.clientHeight);
    setBelow(below);
    if (seen.length > 0) onSeen(seen);
  }, [orders, arrivals, onSeen]);

  useLayoutEffect(look);

  const showNew = () => {
    const first = orders.find((o) => arrivals.has(o.id));
    body.current?.querySelector(`[data-order="${first?.id}"]`)?.scrollIntoView({ block: "nearest" });
  };

  return (
    <section className={`column${compact ? " compact" : ""}`} aria-labelledby={`column-${status}`}>
      <h2 id={`column-${status}`}>
        {title}{" "}
        <span
          className="muted count"
          aria-label={t("kitchen.columnCount", {
            orders: t("kitchen.orders", { count: orders.length }),
            drinks: t("kitchen.drinks", { count: drinks }),
          })}
        >
          {orders.length}
          {drinks !== orders.length ? ` · ${t("kitchen.drinks", { count: drinks })}` : ""}
        </span>
      </h2>
      <div ref={body} className="column-body" id={`column-body-${status}`} tabIndex={-1} onScroll={look}>
        {orders.length === 0 && <p className="muted">{t("kitchen.nothingHere")}</p>}
        {orders.map((order, index) => (
          <Ticket
            key={order.id}
            order={order}
            position={index + 1}
            selected={order.id === selectedId}
            now={now}
            colours={colours}
            isNew={status === "pending" && fresh.has(order.id)}
            busy={busy.has(order.id)}
            onSelect={() => onSelect(order, index)}
            onMove={(to) => onMove(order, to)}
          />
        ))}
      </div>
      {below > 0 && (
        <button type="button" className="new-below" onClick={showNew}>
          {t("kitchen.newBelow", { count: below })}
        </button>
      )}
    </section>
  );
}

function Ticket({
  order,
  position,
  selected,
  now,
  colours,
  isNew,
  busy,
  onSelect,
  onMove,
}: {
  order: Order;
  position: number;
  selected: boolean;
  now: number;
  colours: WaitColours;
  isNew: boolean;
  busy: boolean;
  onSelect: () => void;
  onMove: (to: OrderStatus) => void;
}) {
  const tr = useT();
  const { t } = tr;
  const clock = stageClock(order, now, colours);
  const elapsed = formatElapsed(clock.ms, tr);
  const number = orderNumber(order);
  const drink = order.quantity > 1 ? t("order.what", { quantity: order.quantity, drink: order.drink_name }) : order.drink_name;
  const stage = t(`kitchen.stage.${clock.stage}`);
  const label = { what: t("order.what", { quantity: order.quantity, drink: order.drink_name }), who: order.username, stage, elapsed };
  return (
    <article
      id={`ticket-${order.id}`}
      data-order={order.id}
      className={`ticket wait-${clock.level}${isNew ? " is-new" : ""}${selected ? " is-selected" : ""}`}
      aria-label={number ? t("kitchen.ticketLabelNumbered", { number, ...label }) : t("kitchen.ticketLabel", label)}
      aria-current={selected ? "true" : undefined}
      tabIndex={selected ? 0 : -1}
      onClick={onSelect}
    >
      <div className="meta">
        {position <= 9 && (
          <kbd className="position" aria-hidden="true">
            {position}
          </kbd>
        )}
        {number && <span className="number">{number}</span>}
        <bdi className="who">{order.username}</bdi>
        <span className="elapsed" title={clock.level === "late" ? t("kitchen.waitingLong") : undefined}>
          <span className="stage">{stage} </span>
          {elapsed}
        </span>
      </div>
      <h3>
        <bdi>{drink}</bdi>
      </h3>
      {order.notes && (
        <p className="notes">
          “<bdi>{order.notes}</bdi>”
        </p>
      )}
      <div className="actions">
        {ticketActions(order.status, tr).map((action) => (
          <button
            key={action.label}
            type="button"
            className={action.to === "cancelled" ? "danger" : action.key === "Enter" ? "primary" : undefined}
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
