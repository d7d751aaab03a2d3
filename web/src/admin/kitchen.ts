// The kitchen display's rules, pure so they are tested without a browser: which column a ticket
// sits in, what its clock shows and how it is coloured, what each key does, which ticket is
// selected after the board changes, the all-day counts, batches, and the last serve to undo.

import type { BarSettingsPatch, BarSettings, Order, OrderStatus } from "../api/types";
import { wholeNumber } from "./forms";
import { orderNumber } from "../orders/state";
import { translate, type Translator } from "../i18n";

export type Column = "pending" | "preparing" | "ready";

export const COLUMNS: { status: Column; title: `kitchen.column.${Column}` }[] = [
  { status: "pending", title: "kitchen.column.pending" },
  { status: "preparing", title: "kitchen.column.preparing" },
  { status: "ready", title: "kitchen.column.ready" },
];

export type Board = Record<Column, Order[]>;

/** The open orders by column, in the order given (the live list is oldest first). */
export function boardOf(orders: readonly Order[]): Board {
  const board: Board = { pending: [], preparing: [], ready: [] };
  for (const order of orders) {
    if (order.status === "pending" || order.status === "preparing" || order.status === "ready") {
      board[order.status].push(order);
    }
  }
  return board;
}

/** A column this long shows compact tickets: more of the queue fits without scrolling. */
export const COMPACT_FROM = 6;

// --- actions ---------------------------------------------------------------------------------

/** Enter's step forward through the state machine. */
export function bumpTarget(status: OrderStatus): OrderStatus | null {
  return ({ pending: "preparing", preparing: "ready", ready: "served" } as Partial<Record<OrderStatus, OrderStatus>>)[
    status
  ] ?? null;
}

export const canCancel = (status: OrderStatus) => status === "pending" || status === "preparing";

/** The buttons on a ticket, in the order shown (each also has a key). */
export function ticketActions(status: OrderStatus, { t }: Translator = translate()): { label: string; to: OrderStatus; key: string }[] {
  const actions: { label: string; to: OrderStatus; key: string }[] = [];
  const bump = bumpTarget(status);
  const bumpLabel = { preparing: "kitchen.action.start", ready: "kitchen.action.ready", served: "kitchen.action.served" } as const;
  if (bump && bump in bumpLabel) actions.push({ label: t(bumpLabel[bump as keyof typeof bumpLabel]), to: bump, key: "Enter" });
  if (status === "ready") actions.push({ label: t("kitchen.action.notReady"), to: "preparing", key: "N" });
  if (canCancel(status)) actions.push({ label: t("kitchen.action.cancel"), to: "cancelled", key: "Del" });
  return actions;
}

// --- clocks and colours ----------------------------------------------------------------------

export interface WaitColours {
  warnSeconds: number;
  lateSeconds: number;
}

export const DEFAULT_WAIT: WaitColours = { warnSeconds: 300, lateSeconds: 600 };

export function waitColours(bar: BarSettings | null | undefined): WaitColours {
  if (!bar || !(bar.wait_warn_seconds > 0) || !(bar.wait_late_seconds > bar.wait_warn_seconds)) return DEFAULT_WAIT;
  return { warnSeconds: bar.wait_warn_seconds, lateSeconds: bar.wait_late_seconds };
}

export type WaitLevel = "ok" | "warn" | "late";

const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) || 0 : 0);

export interface StageClock {
  /** What the clock counts: "waiting" since ordered, "making" since started, "ready" since ready. */
  stage: "waiting" | "making" | "ready";
  ms: number;
  level: WaitLevel;
}

/**
 * The ticket's clock for the stage it is in, coloured by the bar's settings: a new order by how
 * long the guest has waited, one in the making by how long since it was started, a ready one by
 * how long it has stood on the bar unclaimed. Servers before `started_at` fall back to
 * `updated_at`, the last move.
 */
export function stageClock(order: Order, now: number, colours: WaitColours): StageClock {
  const stage = order.status === "preparing" ? "making" : order.status === "ready" ? "ready" : "waiting";
  const since =
    stage === "making"
      ? order.started_at ?? order.updated_at
      : stage === "ready"
        ? order.ready_at ?? order.updated_at
        : order.created_at;
  const ms = Math.max(0, now - time(since));
  const seconds = ms / 1000;
  const level = seconds >= colours.lateSeconds ? "late" : seconds >= colours.warnSeconds ? "warn" : "ok";
  return { stage, ms, level };
}

export function formatElapsed(ms: number, { t }: Translator = translate()): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, "0");
  return hours > 0 ? t("kitchen.elapsedHours", { hours: String(hours), minutes: String(minutes).padStart(2, "0") }) : `${minutes}:${rest}`;
}

/** "#41 Ana – 2 × Negroni": how the pickup board and notices name an order. */
export function pickupLine(order: Order, { t }: Translator = translate()): string {
  const drink = order.quantity > 1 ? t("order.what", { quantity: order.quantity, drink: order.drink_name }) : order.drink_name;
  return [orderNumber(order), `${order.username} – ${drink}`].filter(Boolean).join(" ");
}

// --- keys and selection ----------------------------------------------------------------------

export type Command =
  | { kind: "move"; dx: -1 | 0 | 1; dy: -1 | 0 | 1 }
  | { kind: "pick"; position: number }
  | { kind: "bump" }
  | { kind: "cancel" }
  | { kind: "batch" }
  | { kind: "undo" }
  | { kind: "not-ready" };

/** What a key does on the board (a bump bar sends the same keys as a keyboard). */
export function commandFor(key: string): Command | null {
  switch (key) {
    case "ArrowUp":
      return { kind: "move", dx: 0, dy: -1 };
    case "ArrowDown":
      return { kind: "move", dx: 0, dy: 1 };
    case "ArrowLeft":
      return { kind: "move", dx: -1, dy: 0 };
    case "ArrowRight":
      return { kind: "move", dx: 1, dy: 0 };
    case "Enter":
      return { kind: "bump" };
    case "Delete":
    case "Backspace":
      return { kind: "cancel" };
  }
  const lower = key.toLowerCase();
  if (lower === "b") return { kind: "batch" };
  if (lower === "u") return { kind: "undo" };
  if (lower === "n") return { kind: "not-ready" };
  if (/^[1-9]$/.test(key)) return { kind: "pick", position: Number(key) };
  return null;
}

/** The shortcuts as shown on screen: what `kitchen.keys.<name>` does (`kitchen.does.<name>`). */
export const SHORTCUTS = ["select", "bump", "notReady", "batch", "undo", "cancel"] as const;

export interface Selection {
  column: Column;
  /** Where in the column: kept so that when the selected ticket leaves, the next one takes over. */
  index: number;
  id: string | null;
}

export const NO_SELECTION: Selection = { column: "pending", index: 0, id: null };

function at(board: Board, column: Column, index: number): Selection {
  const tickets = board[column];
  if (tickets.length === 0) return { column, index: 0, id: null };
  const clamped = Math.min(Math.max(index, 0), tickets.length - 1);
  return { column, index: clamped, id: tickets[clamped]!.id };
}

/** The selection after the board changed: the same ticket if it is still in its column (it may
 * have moved up), else the one now in its place, so a bumped ticket hands over to the next. */
export function reconcile(board: Board, selection: Selection): Selection {
  if (selection.id === null) return selection.index === 0 ? selection : at(board, selection.column, selection.index);
  const index = board[selection.column].findIndex((o) => o.id === selection.id);
  if (index !== -1) return { ...selection, index };
  return at(board, selection.column, selection.index);
}

/** The selection once the selected ticket is on its way out of its column: the next one below
 * it (or the one above, at the end), chosen at once, so that a bump bar pressed twice in quick
 * succession bumps two tickets, not the same one twice while the first move is in flight. */
export function handOver(board: Board, selection: Selection): Selection {
  const tickets = board[selection.column];
  const index = tickets.findIndex((o) => o.id === selection.id);
  if (index === -1) return selection;
  const next = tickets[index + 1] ?? tickets[index - 1];
  return next ? { column: selection.column, index, id: next.id } : { column: selection.column, index: 0, id: null };
}

/** The selection after a move or pick command. */
export function navigate(board: Board, selection: Selection, command: Command): Selection {
  const columns = COLUMNS.map((c) => c.status);
  if (command.kind === "pick") {
    const tickets = board[selection.column];
    return command.position <= tickets.length ? at(board, selection.column, command.position - 1) : selection;
  }
  if (command.kind !== "move") return selection;
  if (selection.id === null && command.dx === 0) return at(board, selection.column, 0);
  if (command.dx !== 0) {
    const next = columns[Math.min(Math.max(columns.indexOf(selection.column) + command.dx, 0), columns.length - 1)]!;
    return at(board, next, selection.index);
  }
  return at(board, selection.column, selection.index + command.dy);
}

export function selectedOrder(board: Board, selection: Selection): Order | null {
  return board[selection.column].find((o) => o.id === selection.id) ?? null;
}

/** The tickets whose move is still on its way: sent from the status they still show. Once the
 * move shows (often its realtime event beats the HTTP answer), the ticket may be bumped again. */
export function stillMoving(orders: readonly Order[], inFlight: ReadonlyMap<string, OrderStatus>): Set<string> {
  return new Set(orders.filter((o) => inFlight.get(o.id) === o.status).map((o) => o.id));
}

// --- all-day counts and batches --------------------------------------------------------------

export interface AllDay {
  drink_id: string;
  drink_name: string;
  /** Drinks, not orders: a "2 × Mojito" counts two. */
  pending: number;
  preparing: number;
  ready: number;
  total: number;
}

/** How many of each drink are open, split by status: most first, then by name. */
export function allDay(board: Board): AllDay[] {
  const byDrink = new Map<string, AllDay>();
  for (const { status } of COLUMNS) {
    for (const order of board[status]) {
      const row = byDrink.get(order.drink_id) ?? {
        drink_id: order.drink_id,
        drink_name: order.drink_name,
        pending: 0,
        preparing: 0,
        ready: 0,
        total: 0,
      };
      row[status] += order.quantity;
      row.total += order.quantity;
      byDrink.set(order.drink_id, row);
    }
  }
  return [...byDrink.values()].sort((a, b) => b.total - a.total || a.drink_name.localeCompare(b.drink_name));
}

export const BATCH_LIMIT = 50;

/** A batch: every order of one drink in one column, moved one step on (oldest first), in chunks
 * the batch route takes. Ready orders are not batched: each is served to its own guest. */
export function batchOf(board: Board, drinkId: string, from: Column): { to: OrderStatus; chunks: string[][] } | null {
  const to = from === "pending" ? "preparing" : from === "preparing" ? "ready" : null;
  const ids = board[from].filter((o) => o.drink_id === drinkId).map((o) => o.id);
  if (!to || ids.length === 0) return null;
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += BATCH_LIMIT) chunks.push(ids.slice(i, i + BATCH_LIMIT));
  return { to, chunks };
}

// --- undo --------------------------------------------------------------------------------------

export const RECALL_WINDOW_SECONDS = 300;

/** The most recently served order that may still be recalled (the server has the last word). */
export function lastServed(orders: readonly Order[], now: number, windowSeconds = RECALL_WINDOW_SECONDS): Order | null {
  let last: Order | null = null;
  for (const order of orders) {
    if (order.status !== "served" || order.closed_out || !order.completed_at) continue;
    const served = time(order.completed_at);
    if (now - served > windowSeconds * 1000) continue;
    if (!last || served > time(last.completed_at)) last = order;
  }
  return last;
}

// --- ordering ----------------------------------------------------------------------------------

/** The wait colours typed in minutes, as the PATCH the server accepts (60-3600 s, late above
 * warn, at most 7200 s), or a sentence saying what to change. */
export function waitPatch(warnMinutes: string, lateMinutes: string, tr: Translator = translate()): BarSettingsPatch | string {
  const warn = wholeNumber(warnMinutes, tr.t("wait.amber"), 1, 60, tr);
  if (typeof warn === "string") return warn;
  const late = wholeNumber(lateMinutes, tr.t("wait.red"), 2, 120, tr);
  if (typeof late === "string") return late;
  if (late <= warn) return tr.t("wait.redAfterAmber");
  return { wait_warn_seconds: warn * 60, wait_late_seconds: late * 60 };
}

/** "22:30" typed on the display as the next such moment (tonight, or after midnight). */
export function reopensAt(hhmm: string, now: Date): string | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!match) return null;
  const at = new Date(now);
  at.setHours(Number(match[1]), Number(match[2]), 0, 0);
  if (at.getTime() <= now.getTime()) at.setDate(at.getDate() + 1);
  return at.toISOString();
}

// --- new tickets out of view -------------------------------------------------------------------

/** Of the new tickets (their top and height inside a column's scroll box), which the bartender
 * has now seen, and how many are still below the visible part. */
export function splitSeen(
  tickets: { id: string; top: number; height: number }[],
  scrollTop: number,
  clientHeight: number,
): { seen: string[]; below: number } {
  const seen: string[] = [];
  let below = 0;
  for (const ticket of tickets) {
    // Seen once a good part of it (its first 40 px, or all of a smaller one) was in view.
    if (ticket.top + Math.min(ticket.height, 40) <= scrollTop + clientHeight) seen.push(ticket.id);
    else below++;
  }
  return { seen, below };
}
