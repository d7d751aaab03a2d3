// The pickup board: a big, read-only screen for a TV by the bar ("Ready: #41 Ana – Negroni"),
// live from the same queue the kitchen display follows. It has no buttons to press by mistake.

import { useMemo } from "react";
import { Link } from "react-router";
import { useConnectionState } from "../app/hooks";
import { useServices } from "../app/services";
import { ConnectionBadge, ErrorNote, GlassIcon, Loading } from "../ui/components";
import { LanguageSwitcher, useT } from "../i18n";
import { BarState } from "./BarControls";
import { orderNumber } from "../orders/state";
import { boardOf, pickupLine } from "./kitchen";
import { useAdminQueue, useBar } from "./live";

export function BoardPage() {
  const { realtime } = useServices();
  const tr = useT();
  const { t } = tr;
  const connection = useConnectionState(realtime);
  const { orders, error, reload } = useAdminQueue();
  const { bar } = useBar();
  const board = useMemo(() => boardOf(orders ?? []), [orders]);
  const making = [...board.pending, ...board.preparing];

  return (
    <main id="main" className="pickup-board">
      <header>
        <h1>
          <GlassIcon size={48} /> {t("board.title")}
        </h1>
        <BarState bar={bar} />
        <ConnectionBadge state={connection} />
        <Link to="/admin/orders" className="muted">
          {t("board.kitchen")}
        </Link>
        <LanguageSwitcher />
      </header>
      {bar && bar.ordering !== "open" && bar.message && <p className="board-message">{bar.message}</p>}
      <ErrorNote error={error} onRetry={() => void reload()} />
      {!orders && !error && <Loading />}
      {orders && (
        <>
          <ul className="ready-list" aria-label={t("board.ready")}>
            {board.ready.length === 0 && <li className="muted">{t("board.nothing")}</li>}
            {board.ready.map((order) => (
              <li key={order.id} aria-label={t("board.readyLine", { line: pickupLine(order, tr) })}>
                <span className="number">{orderNumber(order)}</span>{" "}
                <bdi className="who">{order.username}</bdi> –{" "}
                <bdi>
                  {order.quantity > 1 ? t("order.what", { quantity: order.quantity, drink: order.drink_name }) : order.drink_name}
                </bdi>
              </li>
            ))}
          </ul>
          {making.length > 0 && (
            <section className="making" aria-label={t("board.comingUp")}>
              <h2>{t("board.comingUp")}</h2>
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
