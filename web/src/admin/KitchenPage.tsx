// The kitchen display: open orders in three columns by status, each scrolling on its own, with
// a clock per stage, the all-day counts, and a keyboard (or bump bar) for every action. Every
// open display follows `/admin/orders`, so two bartenders see the same board; the wait colours
// and whether guests may order are the bar's settings, the same on every display.
// The queue is read page by page to its end; "End of night" closes out what is left open.

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { MAX_PAGES } from "../api/pages";
import type { Order, OrderStatus } from "../api/types";
import { useLater, useNow } from "../app/hooks";
import { useServices } from "../app/services";
import { orderOf } from "../orders/state";
import { chime, unlockAudioOnFirstGesture } from "../ui/alerts";
import { apiMessage, LanguageSwitcher, translate, useT } from "../i18n";
import { ConfirmDialog, ErrorNote, Loading, errorText } from "../ui/components";
import { OrderingControls, WaitColourControls } from "./BarControls";
import { KitchenColumn } from "./KitchenColumn";
import {
  COLUMNS,
  NO_SELECTION,
  SHORTCUTS,
  allDay,
  batchOf,
  boardOf,
  bumpTarget,
  canCancel,
  commandFor,
  handOver,
  lastServed,
  navigate,
  pickupLine,
  reconcile,
  selectedOrder,
  stillMoving,
  waitColours,
  type AllDay,
  type Column,
  type Selection,
} from "./kitchen";
import { useAdminQueue, useBar } from "./live";

const HIGHLIGHT_MS = 4_000;

function without(ids: ReadonlySet<string>, gone: Iterable<string>): Set<string> {
  const next = new Set(ids);
  for (const id of gone) next.delete(id);
  return next;
}

function answered(moving: ReadonlyMap<string, OrderStatus>, ids: Iterable<string>): Map<string, OrderStatus> {
  const next = new Map(moving);
  for (const id of ids) next.delete(id);
  return next;
}

/** Keys typed into a field, or while a dialog is open, are not the board's. */
function isForTheBoard(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return false;
  const target = event.target as HTMLElement | null;
  if (!target || target.closest("input, textarea, select, [contenteditable], [role=dialog], details")) return false;
  // Enter on a button presses that button; the board's Enter is for the selected ticket.
  if (event.key === "Enter" && target.closest("button, a, summary")) return false;
  return true;
}

export function KitchenPage() {
  const { api } = useServices();
  const tr = useT();
  const { t } = tr;
  const [notice, setNotice] = useState<string | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [arrivals, setArrivals] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState<Order | null>(null);
  const [closingOut, setClosingOut] = useState(false);
  const [closedOut, setClosedOut] = useState<string | null>(null);
  // Moves on their way, by order id: the status each was sent from.
  const [inFlight, setInFlight] = useState<ReadonlyMap<string, OrderStatus>>(new Map());
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  const wantFocus = useRef(false);
  const now = useNow(1000);
  const later = useLater();
  const bar = useBar();
  const colours = waitColours(bar.bar);

  useEffect(() => unlockAudioOnFirstGesture(), []);

  const { orders, complete, error, reload, apply } = useAdminQueue((before, _after, event) => {
    const order = event && orderOf(event);
    if (event?.type !== "ORDER_CREATED" || !order || before?.some((o) => o.id === order.id)) return;
    setFresh((ids) => new Set(ids).add(order.id));
    setArrivals((ids) => new Set(ids).add(order.id));
    later(() => setFresh((ids) => without(ids, [order.id])), HIGHLIGHT_MS);
    chime("new-order");
  });
  const board = useMemo(() => boardOf(orders ?? []), [orders]);
  const busy = useMemo(() => stillMoving(orders ?? [], inFlight), [orders, inFlight]);
  const counts = useMemo(() => allDay(board), [board]);
  const current = reconcile(board, selection);
  const selected = selectedOrder(board, current);
  const undoable = lastServed(orders ?? [], now);

  // The selection follows the board (a bumped ticket hands over to the next one) and so does
  // the focus: after a bump the keyboard is still on the board, never dropped on the page.
  useEffect(() => {
    if (current.id !== selection.id || current.index !== selection.index) setSelection(current);
  }, [current, selection]);
  useEffect(() => {
    const active = document.activeElement;
    const dropped = active === null || active === document.body || !active.isConnected;
    if (wantFocus.current || (dropped && current.id)) {
      const target = current.id
        ? document.getElementById(`ticket-${current.id}`)
        : document.getElementById(`column-body-${current.column}`);
      // Picking up a dropped focus must not scroll a column away from what the bartender
      // scrolled to (say, the "new below" pill, which goes away once clicked).
      if (target && target !== active) target.focus({ preventScroll: !wantFocus.current });
    }
    wantFocus.current = false;
  });

  const move = useCallback(
    async (order: Order, to: OrderStatus): Promise<boolean> => {
      setInFlight((moving) => new Map(moving).set(order.id, order.status));
      try {
        apply(await api.ordersAdmin.move(order.id, to));
        setNotice(null);
        return true;
      } catch (caught) {
        // Usually another display got there first: say so and show the board as it is now.
        const now = translate();
        setNotice(now.t("kitchen.failed", { what: pickupLine(order, now), why: errorText(caught, now) }));
        void reload();
        return false;
      } finally {
        setInFlight((moving) => answered(moving, [order.id]));
      }
    },
    [api, apply, reload],
  );

  const batch = useCallback(
    async (row: Pick<AllDay, "drink_id" | "drink_name">, from: Column) => {
      const plan = batchOf(board, row.drink_id, from);
      if (!plan) return;
      const ids = plan.chunks.flat();
      setInFlight((moving) => new Map([...moving, ...ids.map((id) => [id, from] as const)]));
      const failures: string[] = [];
      const now = translate();
      let moved = 0;
      try {
        for (const chunk of plan.chunks) {
          const result = await api.batchOrders(chunk, plan.to);
          result.orders.forEach(apply);
          moved += result.orders.length;
          for (const failed of result.failed) {
            const order = board[from].find((o) => o.id === failed.id);
            failures.push(
              now.t("kitchen.failed", {
                what: order ? pickupLine(order, now) : failed.id,
                why: apiMessage(failed.error.code, failed.error.message, now),
              }),
            );
          }
        }
        setNotice(
          failures.length === 0
            ? null
            : now.t("kitchen.batchPartly", { moved, total: ids.length, drink: row.drink_name, failures: failures.join("; ") }),
        );
        if (failures.length > 0) void reload();
      } catch (caught) {
        setNotice(now.t("kitchen.failed", { what: row.drink_name, why: errorText(caught, now) }));
        void reload();
      } finally {
        setInFlight((moving) => answered(moving, ids));
      }
    },
    [api, apply, board, reload],
  );

  const undo = useCallback(async () => {
    if (!undoable) {
      setNotice(translate().t("kitchen.nothingToUndo"));
      return;
    }
    if (await move(undoable, "ready")) {
      // The recalled ticket is the one the bartender is about to deal with.
      wantFocus.current = true;
      setSelection({ column: "ready", index: 0, id: undoable.id });
    }
  }, [move, undoable]);

  const onSeen = useCallback((ids: string[]) => setArrivals((current) => without(current, ids)), []);

  // The board's keys, wherever the focus is on the page (a bump bar types into the page).
  const keys = useRef<(event: KeyboardEvent) => void>(() => {});
  keys.current = (event) => {
    if (confirming || closingOut || !isForTheBoard(event)) return;
    const command = commandFor(event.key);
    if (!command) return;
    event.preventDefault();
    wantFocus.current = true;
    switch (command.kind) {
      case "move":
      case "pick":
        setSelection(navigate(board, current, command));
        return;
      case "undo":
        void undo();
        return;
    }
    if (!selected) {
      setNotice(translate().t("kitchen.selectFirst"));
      return;
    }
    if (busy.has(selected.id)) return; // its last move is still on its way
    const to =
      command.kind === "bump"
        ? bumpTarget(selected.status)
        : command.kind === "not-ready" && selected.status === "ready"
          ? "preparing"
          : null;
    if (to) {
      setSelection(handOver(board, current));
      void move(selected, to);
    } else if (command.kind === "cancel") {
      if (canCancel(selected.status)) setConfirming(selected);
    } else if (command.kind === "batch") {
      if (selected.status === "ready") setNotice(translate().t("kitchen.readyOneByOne"));
      else void batch(selected, current.column);
    }
  };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => keys.current(event);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // Errors stay in the dialog (ConfirmDialog shows them); the result is said on the page.
  const closeOut = async () => {
    const result = await api.ordersAdmin.closeOut();
    setClosingOut(false);
    const now = translate();
    const closed = now.t("kitchen.closedOut", { count: result.closed });
    setClosedOut(result.complete ? closed : now.t("kitchen.moreOpen", { closed }));
    void reload();
  };

  return (
    <div className="kds">
      <div className="page-head kds-head">
        <h1>{t("kitchen.title")}</h1>
        <OrderingControls bar={bar} />
        <WaitColourControls bar={bar} />
        <button type="button" className="danger" onClick={() => setClosingOut(true)}>
          {t("kitchen.closeOutButton")}
        </button>
        <LanguageSwitcher />
      </div>
      {closedOut && (
        <p className="note success" role="status">
          {closedOut}
        </p>
      )}
      {orders && !complete && (
        <p className="note error" role="alert">
          {t("kitchen.tooLong", { pages: MAX_PAGES, count: orders.length })}
        </p>
      )}
      {notice && (
        <p className="note error" role="alert">
          {notice}
        </p>
      )}
      <ErrorNote error={error} onRetry={() => void reload()} />
      {!orders && !error && <Loading label={t("kitchen.loading")} />}
      {orders && <AllDayStrip rows={counts} busy={busy} board={board} onBatch={(row, from) => void batch(row, from)} />}
      {orders && (
        <div className="kitchen">
          {COLUMNS.map((column) => (
            <KitchenColumn
              key={column.status}
              status={column.status}
              title={t(column.title)}
              orders={board[column.status]}
              selectedId={current.column === column.status ? current.id : null}
              now={now}
              colours={colours}
              fresh={fresh}
              arrivals={arrivals}
              busy={busy}
              onSeen={onSeen}
              onSelect={(order, index) => setSelection({ column: column.status, index, id: order.id })}
              onMove={(order, to) => {
                wantFocus.current = true;
                if (to === "cancelled") setConfirming(order);
                else void move(order, to);
              }}
            />
          ))}
        </div>
      )}
      <footer className="shortcuts" aria-label={t("kitchen.shortcuts")}>
        {SHORTCUTS.map((shortcut) => (
          <span key={shortcut}>
            <kbd>{t(`kitchen.keys.${shortcut}`)}</kbd> {t(`kitchen.does.${shortcut}`)}
          </span>
        ))}
        {undoable && (
          <button type="button" className="link" onClick={() => void undo()}>
            {t("kitchen.undoServe", { line: pickupLine(undoable, tr) })}
          </button>
        )}
      </footer>
      {confirming && (
        <ConfirmDialog
          title={t("kitchen.cancelTitle")}
          message={
            <p>
              {t("kitchen.cancelMessage", {
                what: t("order.what", { quantity: confirming.quantity, drink: confirming.drink_name }),
                who: confirming.username,
              })}
            </p>
          }
          confirmLabel={t("kitchen.cancelConfirm")}
          onConfirm={() => {
            const order = confirming;
            setConfirming(null);
            wantFocus.current = true;
            void move(order, "cancelled");
          }}
          onCancel={() => {
            wantFocus.current = true;
            setConfirming(null);
          }}
        />
      )}
      {closingOut && (
        <ConfirmDialog
          title={t("kitchen.closeOutTitle")}
          message={<p>{t("kitchen.closeOutMessage")}</p>}
          confirmLabel={t("kitchen.closeOut")}
          onConfirm={closeOut}
          onCancel={() => setClosingOut(false)}
        />
      )}
    </div>
  );
}

/** "Mojito ×13" for each open drink, split by status, with a batch start / mark ready. */
function AllDayStrip({
  rows,
  board,
  busy,
  onBatch,
}: {
  rows: AllDay[];
  board: ReturnType<typeof boardOf>;
  busy: ReadonlySet<string>;
  onBatch: (row: AllDay, from: Column) => void;
}) {
  const { t } = useT();
  if (rows.length === 0) return null;
  const isBusy = (row: AllDay, from: Column) =>
    board[from].some((o) => o.drink_id === row.drink_id && busy.has(o.id));
  return (
    <section className="all-day" aria-label={t("kitchen.allDay")}>
      <ul>
        {rows.map((row) => (
          <li key={row.drink_id} aria-label={`${row.drink_name} ×${row.total}`}>
            <strong>
              <bdi>{row.drink_name}</bdi> ×{row.total}
            </strong>
            <span className="muted split">
              {t("kitchen.allDaySplit", { pending: row.pending, preparing: row.preparing, ready: row.ready })}
            </span>
            <span className="batch">
              {row.pending > 0 && (
                <button
                  type="button"
                  className="chip"
                  aria-label={t("kitchen.startAllLabel", { count: row.pending, drink: row.drink_name })}
                  disabled={isBusy(row, "pending")}
                  onClick={() => onBatch(row, "pending")}
                >
                  {t("kitchen.startAll", { count: row.pending })}
                </button>
              )}
              {row.preparing > 0 && (
                <button
                  type="button"
                  className="chip"
                  aria-label={t("kitchen.readyAllLabel", { count: row.preparing, drink: row.drink_name })}
                  disabled={isBusy(row, "preparing")}
                  onClick={() => onBatch(row, "preparing")}
                >
                  {t("kitchen.readyAll", { count: row.preparing })}
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
