// The pickup board: a big, read-only screen for a TV by the bar ("Ready: #41 Ana – Negroni"),
// live from the same queue the kitchen display follows. It has no buttons to press by mistake.

import { useMemo } from "react";
import { Link } from "react-router";
import { useConnectionState } from "../app/hooks";
import { useServices } from "../app/services";
import { ConnectionBadge, ErrorNote, GlassIcon, Loading } from "../ui/components";
import { BarState } from "./BarControls";
import { orderNumber } from "../orders/state";
import { boardOf, pickupLine } from "./kitchen";
import { useAdminQueue, useBar } from "./live";

export function BoardPage() {
  const { realtime } = useServices();
  const connection = useConnectionState(realtime);
  const { orders, error, reload } = useAdminQueue();
  const { bar } = useBar();
  const board = useMemo(() => boardOf(orders ?? []), [orders]);
  const making = [...board.pending, ...board.preparing];

  return (
    <main id="main" className="pickup-board">
      <header>
        <h1>
          <GlassIcon size={48} /> Ready for pickup
        </h1>
        <BarState bar={bar} />
        <ConnectionBadge state={connection} />
        <Link to="/admin/orders" className="muted">
          Kitchen display
        </Link>
      </header>
      {bar && bar.ordering !== "open" && bar.message && <p className="board-message">{bar.message}</p>}
      <ErrorNote error={error} onRetry={() => void reload()} />
      {!orders && !error && <Loading label="Loading…" />}
      {orders && (
        <>
          <ul className="ready-list" aria-label="Ready">
            {board.ready.length === 0 && <li className="muted">Nothing waiting on the bar.</li>}
            {board.ready.map((order) => (
              <li key={order.id} aria-label={`Ready: ${pickupLine(order)}`}>
                <span className="number">{orderNumber(order)}</span>{" "}
                <bdi className="who">{order.username}</bdi> –{" "}
                <bdi>{`${order.quantity > 1 ? `${order.quantity} × ` : ""}${order.drink_name}`}</bdi>
              </li>
            ))}
          </ul>
          {making.length > 0 && (
            <section className="making" aria-label="Coming up">
              <h2>Coming up</h2>
              <p>
                {making.map((order) => (
                  <span key={order.id}>
                    {orderNumber(order) || "•"} <bdi>{order.username}</bdi>
                  </span>
                ))}
              </p>
            </section>
          )}
        </>
      )}
    </main>
  );
}
