// How a list of orders follows realtime events and re-reads: pure, so it is tested without I/O.
// Events arrive at least once and, across a reconnect, possibly out of order: the newer
// `updated_at` wins, and the same order is never listed twice.

import type { Order, OrderEventData, RealtimeEvent } from "../api/types";

export const ORDER_EVENTS = new Set(["ORDER_CREATED", "ORDER_STATUS_CHANGED"]);

export function orderOf(event: RealtimeEvent): Order | null {
  if (!ORDER_EVENTS.has(event.type)) return null;
  return (event.data as OrderEventData | undefined)?.order ?? null;
}

const time = (iso: string) => Date.parse(iso) || 0;

/** The list with `order` in it, unless the list already holds a newer version of it. */
export function upsertOrder(orders: Order[], order: Order): Order[] {
  const index = orders.findIndex((o) => o.id === order.id);
  if (index === -1) return [...orders, order];
  if (time(orders[index]!.updated_at) > time(order.updated_at)) return orders;
  const next = orders.slice();
  next[index] = order;
  return next;
}

export const newestFirst = (a: Order, b: Order) => time(b.created_at) - time(a.created_at);
export const oldestFirst = (a: Order, b: Order) => time(a.created_at) - time(b.created_at);

/** Orders of `after` that are ready now but were known, and not ready, in `before`. */
export function newlyReady(before: Order[], after: Order[]): Order[] {
  const previous = new Map(before.map((o) => [o.id, o.status]));
  return after.filter((o) => {
    const was = previous.get(o.id);
    return o.status === "ready" && was !== undefined && was !== "ready";
  });
}

/** The "ready" banners to keep showing: those whose order is still ready in `after` (served,
 * or taken back by the bar, it goes), each order once, the newly ready ones last. An order
 * `after` does not list (a read that stopped at its page cap) keeps its banner. */
export function readyBanners(shown: Order[], after: Order[], turned: Order[] = []): Order[] {
  const now = new Map(after.map((o) => [o.id, o]));
  const kept = shown
    .filter((o) => !turned.some((t) => t.id === o.id))
    .filter((o) => (now.get(o.id)?.status ?? "ready") === "ready")
    .map((o) => now.get(o.id) ?? o);
  return [...kept, ...turned];
}

/** A fresh read merged with what live events already told us: a newer event beats the read,
 * and an order that arrived while the read was on its way (`arrived`) is kept though the
 * read could not list it yet. */
export function mergeRead(current: Order[], read: Order[], arrived: ReadonlySet<string> = new Set()): Order[] {
  const byId = new Map(current.map((o) => [o.id, o]));
  const merged = read.map((o) => {
    const known = byId.get(o.id);
    return known && time(known.updated_at) > time(o.updated_at) ? known : o;
  });
  const inRead = new Set(read.map((o) => o.id));
  return [...merged, ...current.filter((o) => arrived.has(o.id) && !inRead.has(o.id))];
}

/** "#41", the number the bar calls; "" for an order placed before numbers (ADR 0029). */
export function orderNumber(order: Pick<Order, "number">): string {
  return typeof order.number === "number" ? `#${order.number}` : "";
}

/** The element id of an order's card on /orders (an id may not start with a digit in CSS). */
export const orderAnchor = (orderId: string) => `order-${orderId}`;

/** Where the guest sees an order: what its "ready" notification opens. */
export const orderUrl = (orderId: string) => `/orders#${orderAnchor(orderId)}`;
