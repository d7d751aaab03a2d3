import { useMemo } from "react";
import { useChannel, useNow, useResource, useThrottled } from "../app/hooks";
import { useServices } from "../app/services";
import type { Order, Stats } from "../api/types";
import { bearerAuth } from "../realtime/client";
import { ErrorNote, Loading, StatusPill, formatTime, TableWrap } from "../ui/components";
import { BarListChart, ColumnChart, drinkData, hourBuckets, hourSummary, listSummary, statusData } from "./charts";
import { formatDuration, openCount } from "./format";

export function DashboardPage() {
  const { api, admin, realtime } = useServices();
  const stats = useResource(() => api.ordersAdmin.stats(), [api]);
  // A busy bar fires many order events a second; one stats read per second is plenty.
  const reloadSoon = useThrottled(() => void stats.reload(), 1000);
  const auth = useMemo(() => bearerAuth(admin), [admin]);
  useChannel(realtime, "/admin/orders", auth, reloadSoon, () => void stats.reload());

  return (
    <>
      <div className="page-head">
        <h1>Dashboard</h1>
      </div>
      <ErrorNote error={stats.error} onRetry={() => void stats.reload()} />
      {stats.data ? <StatsView stats={stats.data} /> : stats.loading && <Loading />}
    </>
  );
}

function StatsView({ stats }: { stats: Stats }) {
  // Re-bucket the hours as the clock moves on, even when no order comes in.
  const now = useNow(60_000);
  const hours = useMemo(() => hourBuckets(stats.per_hour, new Date(now)), [stats.per_hour, now]);
  const drinks = drinkData(stats.by_drink);
  const statuses = statusData(stats.by_status);

  return (
    <>
      <section className="tiles" aria-label="Today at a glance">
        <Tile label="Orders today" value={stats.today} />
        <Tile label="Total orders" value={stats.total} />
        <Tile label="Open now" value={openCount(stats.by_status)} />
        <Tile label="Avg time to ready" value={formatDuration(stats.avg_seconds_to_ready)} />
      </section>
      <div className="charts">
        <ColumnChart title="Orders per hour" data={hours} summary={hourSummary(hours)} labelHeader="Hour" />
        <BarListChart title="By drink" data={drinks} summary={listSummary("Orders by drink", drinks)} labelHeader="Drink" />
        <ColumnChart
          title="By status"
          data={statuses}
          summary={listSummary("Orders by status", statuses)}
          labelHeader="Status"
          showValues
        />
      </div>
      <RecentOrders orders={stats.recent} />
    </>
  );
}

function Tile({ label, value }: { label: string; value: number | string }) {
  return (
    <div className="tile">
      <div className="value">{value}</div>
      <div className="label">{label}</div>
    </div>
  );
}

function RecentOrders({ orders }: { orders: Order[] }) {
  return (
    <section className="card" aria-labelledby="recent-orders">
      <h2 id="recent-orders">Recent orders</h2>
      {orders.length === 0 ? (
        <p className="muted">No orders yet.</p>
      ) : (
        <TableWrap label="Recent orders">
          <table>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Guest</th>
                <th scope="col">Drink</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((order) => (
                <tr key={order.id}>
                  <td>
                    <time dateTime={order.created_at}>{formatTime(order.created_at)}</time>
                  </td>
                  <td>
                    <bdi>{order.username}</bdi>
                  </td>
                  <td>
                    {order.quantity > 1 ? `${order.quantity} × ` : ""}
                    <bdi>{order.drink_name}</bdi>
                  </td>
                  <td>
                    <StatusPill status={order.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
